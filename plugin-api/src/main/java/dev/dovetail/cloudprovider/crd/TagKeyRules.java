package dev.dovetail.cloudprovider.crd;

/**
 * The CEL rules every upstream NodeClass puts on its tags/labels map, as constants for
 * {@code @ValidationRule}: keys may not be empty, nor name the cluster or Karpenter's own NodePool
 * and NodeClaim tags, which the provider writes itself. Each NodeClass adds its own rules for its
 * cloud's reserved keys beside these. The texts are upstream's, character for character, so the
 * generated CRDs stay equal to the upstream ones.
 */
public final class TagKeyRules {
  public static final String NO_EMPTY_KEY = "self.all(k, k != '')";
  public static final String NO_EMPTY_KEY_MSG = "empty tag keys aren't supported";

  public static final String NO_CLUSTER = "self.all(k, !k.startsWith('kubernetes.io/cluster') )";
  public static final String NO_CLUSTER_MSG =
      "tag contains a restricted tag matching kubernetes.io/cluster/";

  public static final String NO_NODEPOOL = "self.all(k, k != 'karpenter.sh/nodepool')";
  public static final String NO_NODEPOOL_MSG =
      "tag contains a restricted tag matching karpenter.sh/nodepool";

  public static final String NO_NODECLAIM = "self.all(k, k !='karpenter.sh/nodeclaim')";
  public static final String NO_NODECLAIM_MSG =
      "tag contains a restricted tag matching karpenter.sh/nodeclaim";

  private TagKeyRules() {}
}
