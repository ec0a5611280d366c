package dev.dovetail.gcp.instancetype;

/**
 * Label keys of the GCP provider, as upstream (cloudpilot-ai/karpenter-provider-gcp) names them.
 */
public final class GceLabels {
  public static final String GROUP = "karpenter.k8s.gcp";
  public static final String NODE_CLASS = GROUP + "/gcenodeclass";
  public static final String INSTANCE_FAMILY = GROUP + "/instance-family";
  public static final String INSTANCE_SHAPE = GROUP + "/instance-shape";
  public static final String INSTANCE_GENERATION = GROUP + "/instance-generation";
  public static final String INSTANCE_SIZE = GROUP + "/instance-size";
  public static final String INSTANCE_CPU = GROUP + "/instance-cpu";
  public static final String INSTANCE_MEMORY = GROUP + "/instance-memory";
  public static final String INSTANCE_GPU_NAME = GROUP + "/instance-gpu-name";
  public static final String INSTANCE_GPU_MANUFACTURER = GROUP + "/instance-gpu-manufacturer";
  public static final String INSTANCE_GPU_COUNT = GROUP + "/instance-gpu-count";
  public static final String GKE_ACCELERATOR = "cloud.google.com/gke-accelerator";
  public static final String GKE_GPU_DRIVER_VERSION = "cloud.google.com/gke-gpu-driver-version";
  public static final String NODE_CLASS_HASH_ANNOTATION = GROUP + "/gcenodeclass-hash";

  private GceLabels() {}
}
