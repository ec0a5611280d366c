package dev.dovetail.clusterapi.capi;

/** Cluster API names: the group, kinds, labels and annotations this plugin reads and writes. */
public final class Capi {
  private Capi() {}

  public static final String GROUP = "cluster.x-k8s.io";
  public static final String V1BETA1 = "v1beta1";
  public static final String V1BETA2 = "v1beta2";

  public static final String MACHINE = "Machine";
  public static final String MACHINE_DEPLOYMENT = "MachineDeployment";
  public static final String MACHINE_SET = "MachineSet";
  public static final String MACHINE_POOL = "MachinePool";

  /** Labels CAPI puts on a Machine naming the scalable resource it belongs to. */
  public static final String CLUSTER_NAME_LABEL = "cluster.x-k8s.io/cluster-name";

  public static final String DEPLOYMENT_NAME_LABEL = "cluster.x-k8s.io/deployment-name";
  public static final String SET_NAME_LABEL = "cluster.x-k8s.io/set-name";
  public static final String POOL_NAME_LABEL = "cluster.x-k8s.io/pool-name";

  /** Opt-in label of a scalable resource (upstream karpenter-provider-cluster-api's). */
  public static final String KARPENTER_MEMBER_LABEL = "node.cluster.x-k8s.io/karpenter-member";

  /** CAPI deletes Machines carrying this annotation first when replicas go down. */
  public static final String DELETE_MACHINE_ANNOTATION = "cluster.x-k8s.io/delete-machine";

  public static final String MIN_SIZE_ANNOTATION =
      "cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size";
  public static final String MAX_SIZE_ANNOTATION =
      "cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size";

  /** Scale-from-zero capacity annotations (cluster-autoscaler's clusterapi provider). */
  public static final String CAPACITY_PREFIX = "capacity.cluster-autoscaler.kubernetes.io/";

  public static final String CPU_ANNOTATION = CAPACITY_PREFIX + "cpu";
  public static final String MEMORY_ANNOTATION = CAPACITY_PREFIX + "memory";
  public static final String EPHEMERAL_DISK_ANNOTATION = CAPACITY_PREFIX + "ephemeral-disk";
  public static final String MAX_PODS_ANNOTATION = CAPACITY_PREFIX + "maxPods";
  public static final String GPU_TYPE_ANNOTATION = CAPACITY_PREFIX + "gpu-type";
  public static final String GPU_COUNT_ANNOTATION = CAPACITY_PREFIX + "gpu-count";
  public static final String LABELS_ANNOTATION = CAPACITY_PREFIX + "labels";
  public static final String TAINTS_ANNOTATION = CAPACITY_PREFIX + "taints";
  public static final String PRICE_ANNOTATION = CAPACITY_PREFIX + "price";
  public static final String CURRENT_PRICE_ANNOTATION = "cluster.x-k8s.io/machine-current-price";

  // ---- Dovetail's own marks (in the NodeClass's group, which kubelets may not set)

  /** On a claimed Machine: the NodeClaim it backs (label, for selection). */
  public static final String NODECLAIM_LABEL = "karpenter.cluster.x-k8s.io/nodeclaim";

  /** On a claimed Machine: the NodeClaim and NodePool it backs (annotations, for people). */
  public static final String NODECLAIM_ANNOTATION = "karpenter.cluster.x-k8s.io/nodeclaim";

  public static final String NODEPOOL_ANNOTATION = "karpenter.cluster.x-k8s.io/nodepool";

  /** On a claimed Machine: when it was claimed (RFC 3339), for the registration TTL. */
  public static final String CLAIMED_AT_ANNOTATION = "karpenter.cluster.x-k8s.io/claimed-at";

  /** On a claimed Machine: the scalable resource's template fingerprint when claimed (drift). */
  public static final String TEMPLATE_ANNOTATION = "karpenter.cluster.x-k8s.io/template";

  /** On a claimed Machine: the scalable resource it was claimed from, {@code Kind/ns/name}. */
  public static final String OWNER_ANNOTATION = "karpenter.cluster.x-k8s.io/scalable-resource";

  /** On a scalable resource: replica changes made but not yet matched by a claim or deletion. */
  public static final String INTENTS_ANNOTATION = "karpenter.cluster.x-k8s.io/replica-intents";

  /** On the Instance (and so the NodeClaim and Node): the Machine, {@code namespace.name}. */
  public static final String MACHINE_LABEL = "karpenter.cluster.x-k8s.io/machine";
}
