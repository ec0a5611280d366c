package dev.dovetail.azure.instancetype;

/** Upstream's well-known labels (karpenter-provider-azure {@code pkg/apis/v1beta1/labels.go}). */
public final class AzureLabels {
  public static final String GROUP = "karpenter.azure.com";
  public static final String SKU_NAME = GROUP + "/sku-name";
  public static final String SKU_FAMILY = GROUP + "/sku-family";
  public static final String SKU_SERIES = GROUP + "/sku-series";
  public static final String SKU_VERSION = GROUP + "/sku-version";
  public static final String SKU_CPU = GROUP + "/sku-cpu";
  public static final String SKU_MEMORY = GROUP + "/sku-memory";
  public static final String SKU_ACCELERATED_NETWORKING = GROUP + "/sku-networking-accelerated";
  public static final String SKU_STORAGE_PREMIUM_CAPABLE = GROUP + "/sku-storage-premium-capable";
  public static final String SKU_GPU_NAME = GROUP + "/sku-gpu-name";
  public static final String SKU_GPU_MANUFACTURER = GROUP + "/sku-gpu-manufacturer";
  public static final String SKU_GPU_COUNT = GROUP + "/sku-gpu-count";
  public static final String AKS_CLUSTER = "kubernetes.azure.com/cluster";
  public static final String AKS_SKU_CPU = "kubernetes.azure.com/sku-cpu";
  public static final String AKS_SKU_MEMORY = "kubernetes.azure.com/sku-memory";
  public static final String AKS_SCALE_SET_PRIORITY = "kubernetes.azure.com/scalesetpriority";
  public static final String AKS_MODE = "kubernetes.azure.com/mode";
  public static final String AKS_OS_SKU = "kubernetes.azure.com/os-sku";

  /** The NodeClass-hash annotation / tag upstream writes for drift. */
  public static final String NODECLASS_HASH = GROUP + "/aksnodeclass-hash";

  /** Extended resource of NVIDIA GPUs (the device plugin's name). */
  public static final String NVIDIA_GPU = "nvidia.com/gpu";

  private AzureLabels() {}
}
