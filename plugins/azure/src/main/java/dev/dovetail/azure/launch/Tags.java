package dev.dovetail.azure.launch;

/**
 * Ownership tags on every VM and NIC the provider creates. Azure tag names cannot contain {@code
 * /}, so upstream writes label keys with {@code _} (e.g. {@code karpenter.sh_nodepool}).
 */
public final class Tags {
  public static final String CLUSTER = "karpenter.azure.com_cluster";
  public static final String NODE_POOL = "karpenter.sh_nodepool";
  public static final String NODE_CLAIM = "karpenter.sh_nodeclaim";
  public static final String NODECLASS_HASH = "karpenter.azure.com_aksnodeclass-hash";
  public static final String MAX_PODS = "karpenter.azure.com_max-pods";
  public static final String BILLING = "compute.aks.billing";

  private Tags() {}
}
