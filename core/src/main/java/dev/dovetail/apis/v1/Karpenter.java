package dev.dovetail.apis.v1;

/** Names from upstream's {@code pkg/apis/v1}: group, finalizer, taints, annotations, conditions. */
public final class Karpenter {
  private Karpenter() {}

  public static final String GROUP = "karpenter.sh";
  public static final String VERSION = "v1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /**
   * CEL rule for a map of resource quantities. Upstream's CRDs put a quantity pattern on such maps;
   * fabric8's generator cannot attach one to {@code Quantity} values, so a rule says the same.
   */
  public static final String QUANTITY_MAP_RULE =
      "self.all(k, string(self[k]).matches('^(\\\\+|-)?(([0-9]+(\\\\.[0-9]*)?)|(\\\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\\\+|-)?(([0-9]+(\\\\.[0-9]*)?)|(\\\\.[0-9]+))))?$'))";

  public static final String QUANTITY_MAP_MESSAGE =
      "values must be resource quantities such as 2, 1500m or 64Gi";

  public static final String TERMINATION_FINALIZER = "karpenter.sh/termination";

  public static final String DISRUPTED_TAINT_KEY = "karpenter.sh/disrupted";
  public static final String UNREGISTERED_TAINT_KEY = "karpenter.sh/unregistered";

  public static final String DO_NOT_DISRUPT_ANNOTATION = "karpenter.sh/do-not-disrupt";
  public static final String NODEPOOL_HASH_ANNOTATION = "karpenter.sh/nodepool-hash";

  /** "true" when the NodeClaim was launched with minValues lowered (--min-values-policy). */
  public static final String NODECLAIM_MIN_VALUES_RELAXED_ANNOTATION =
      "karpenter.sh/nodeclaim-min-values-relaxed";

  public static final String NODEPOOL_HASH_VERSION_ANNOTATION =
      "karpenter.sh/nodepool-hash-version";
  public static final String NODECLAIM_TERMINATION_TIMESTAMP_ANNOTATION =
      "karpenter.sh/nodeclaim-termination-timestamp";
  public static final String MIN_VALUES_RELAXED_ANNOTATION =
      "karpenter.sh/nodeclaim-min-values-relaxed";

  /** NodeClaim condition types. */
  public static final class Conditions {
    private Conditions() {}

    public static final String LAUNCHED = "Launched";
    public static final String REGISTERED = "Registered";
    public static final String INITIALIZED = "Initialized";
    public static final String READY = "Ready";
    public static final String CONSOLIDATABLE = "Consolidatable";
    public static final String DRIFTED = "Drifted";
    public static final String DRAINED = "Drained";
    public static final String VOLUMES_DETACHED = "VolumesDetached";
    public static final String INSTANCE_TERMINATING = "InstanceTerminating";
    public static final String DISRUPTION_REASON = "DisruptionReason";
    public static final String CONSISTENT_STATE_FOUND = "ConsistentStateFound";

    // NodePool condition types
    public static final String VALIDATION_SUCCEEDED = "ValidationSucceeded";
    public static final String NODE_CLASS_READY = "NodeClassReady";
    public static final String NODE_REGISTRATION_HEALTHY = "NodeRegistrationHealthy";
  }
}
