package dev.dovetail.plugins.simulated;

import dev.dovetail.cloudprovider.EksKubeReserved;
import dev.dovetail.cloudprovider.InstanceType.Overhead;
import dev.dovetail.cloudprovider.Resources;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Capacity and overhead of a node of a catalog entry, computed the way Karpenter's AWS provider
 * does, so allocatable figures (and therefore bin-packing results) look like a real cluster's.
 *
 * <ul>
 *   <li>cpu: vCPUs.
 *   <li>memory: the catalog's MiB minus {@code vmMemoryOverheadPercent} (default 7.5%, rounded up
 *       to a MiB), which stands for what the hypervisor and firmware keep.
 *   <li>ephemeral-storage: a 20Gi root volume (the AWS default block device).
 *   <li>pods: {@code maxPods} when set; otherwise for aws an ENI-limited figure by size,
 *       approximating the usual ENI x IPv4 limits {@code ENIs*(IPs-1)+2} (the catalog has no ENI
 *       data): up to 1 GiB memory 4, up to 2 GiB 11, 1 vCPU 8, 2 vCPU 29, up to 8 vCPU 58, up to 32
 *       vCPU 234, larger 737; for azure and gcp the kubelet default 110, lowered to 32 up to 2 GiB
 *       and 8 up to 1 GiB so the reserved memory of small shapes stays below their capacity.
 *   <li>GPUs: {@code nvidia.com/gpu}, {@code amd.com/gpu} or {@code habana.ai/gaudi} by vendor.
 *   <li>overhead: kube-reserved cpu 6% of the first core, 1% of the second, 0.5% of cores 3-4,
 *       0.25% of the rest; kube-reserved memory {@code 11 MiB * pods + 255 MiB}; kube-reserved
 *       ephemeral-storage 1Gi; eviction threshold memory 100Mi and 10% of ephemeral-storage.
 * </ul>
 */
public final class NodeShape {
  public static final String HABANA_GAUDI = "habana.ai/gaudi";
  static final long MI = 1L << 20;
  static final long GI = 1L << 30;
  static final long ROOT_VOLUME = 20 * GI;

  private NodeShape() {}

  /** Pods a node of this shape runs when {@code maxPods} is not set (see the class comment). */
  public static long defaultPods(String provider, int vcpu, long memoryMiB) {
    if (!"aws".equals(provider)) {
      return memoryMiB <= 1024 ? 8 : memoryMiB <= 2048 ? 32 : 110;
    }
    if (memoryMiB <= 1024) {
      return 4; // nano, micro: 2 ENIs x 2 IPs
    }
    if (memoryMiB <= 2048) {
      return 11; // small: 3 ENIs x 4 IPs
    }
    if (vcpu <= 1) {
      return 8;
    }
    if (vcpu <= 2) {
      return 29;
    }
    if (vcpu <= 8) {
      return 58;
    }
    if (vcpu <= 32) {
      return 234;
    }
    return 737;
  }

  public static Resources capacity(
      String provider, CatalogEntry e, Integer maxPods, double vmMemoryOverheadPercent) {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put(Resources.CPU, e.vcpu() * 1000L);
    long mib = e.memoryMiB() - (long) Math.ceil(e.memoryMiB() * vmMemoryOverheadPercent);
    m.put(Resources.MEMORY, mib * MI);
    m.put(Resources.EPHEMERAL_STORAGE, ROOT_VOLUME);
    m.put(
        Resources.PODS, maxPods != null ? maxPods : defaultPods(provider, e.vcpu(), e.memoryMiB()));
    if (e.gpu() > 0 && e.gpuVendor() != null) {
      String resource =
          switch (e.gpuVendor()) {
            case "nvidia" -> Resources.NVIDIA_GPU;
            case "amd" -> Resources.AMD_GPU;
            case "habana" -> HABANA_GAUDI;
            default -> null;
          };
      if (resource != null) {
        m.put(resource, (long) e.gpu());
      }
    }
    return Resources.of(m);
  }

  public static Overhead overhead(Resources capacity) {
    Resources kubeReserved = EksKubeReserved.of(capacity);
    Resources eviction =
        Resources.of(
            Resources.MEMORY,
            100 * MI,
            Resources.EPHEMERAL_STORAGE,
            (long) Math.ceil(capacity.get(Resources.EPHEMERAL_STORAGE) * 0.10));
    return new Overhead(kubeReserved, Resources.EMPTY, eviction);
  }

  /** Karpenter's (and EKS's) kube-reserved cpu tiers, in millicores. */
  public static long kubeReservedCpuMillis(long cpuMillis) {
    return EksKubeReserved.cpuMillis(cpuMillis);
  }
}
