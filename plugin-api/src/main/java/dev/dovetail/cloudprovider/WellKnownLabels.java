package dev.dovetail.cloudprovider;

import java.util.Set;

/** Label keys with the meaning Karpenter and Kubernetes give them. */
public final class WellKnownLabels {
  private WellKnownLabels() {}

  public static final String NODE_POOL = "karpenter.sh/nodepool";
  public static final String CAPACITY_TYPE = "karpenter.sh/capacity-type";
  public static final String INITIALIZED = "karpenter.sh/initialized";
  public static final String REGISTERED = "karpenter.sh/registered";
  public static final String ZONE = "topology.kubernetes.io/zone";
  public static final String REGION = "topology.kubernetes.io/region";
  public static final String INSTANCE_TYPE = "node.kubernetes.io/instance-type";
  public static final String ARCH = "kubernetes.io/arch";
  public static final String OS = "kubernetes.io/os";
  public static final String HOSTNAME = "kubernetes.io/hostname";
  public static final String WINDOWS_BUILD = "node.kubernetes.io/windows-build";
  public static final String CAPACITY_RESERVATION_ID = "karpenter.k8s.aws/capacity-reservation-id";

  public static final String CAPACITY_TYPE_ON_DEMAND = "on-demand";
  public static final String CAPACITY_TYPE_SPOT = "spot";
  public static final String CAPACITY_TYPE_RESERVED = "reserved";

  /** Labels every provider resolves for a node, which pods may select on. */
  public static final Set<String> WELL_KNOWN =
      Set.of(
          NODE_POOL, CAPACITY_TYPE, ZONE, REGION, INSTANCE_TYPE, ARCH, OS, HOSTNAME, WINDOWS_BUILD);
}
