package dev.dovetail.cloudprovider;

/**
 * EKS's kube-reserved, as Karpenter's AWS provider computes it (from Bottlerocket's formula): cpu
 * 6% of the first core, 1% of the second, 0.5% of the third and fourth, 0.25% of the rest, each
 * tier truncated to whole millicores; memory {@code 11 MiB * maxPods + 255 MiB}; 1 GiB of ephemeral
 * storage. In the plugin API because the AWS provider, the simulated cloud's catalogs and the
 * core's generated consolidation scenarios all use it (AKS and GKE reserve by other formulas, kept
 * in their plugins).
 */
public final class EksKubeReserved {
  private EksKubeReserved() {}

  private static final long MI = 1L << 20;
  private static final long GI = 1L << 30;

  /** Tiers of {start, end, basis points} over the node's cpu millicores. */
  private static final long[][] CPU_TIERS = {
    {0, 1000, 600}, {1000, 2000, 100}, {2000, 4000, 50}, {4000, 1L << 31, 25}
  };

  /** kube-reserved cpu in millicores for a node of {@code cpuMillis}. */
  public static long cpuMillis(long cpuMillis) {
    long reserved = 0;
    for (long[] t : CPU_TIERS) {
      if (cpuMillis >= t[0]) {
        long span = Math.min(cpuMillis, t[1]) - t[0];
        reserved += span * t[2] / 10_000;
      }
    }
    return reserved;
  }

  /** kube-reserved memory in bytes for a node running at most {@code maxPods} pods. */
  public static long memoryBytes(long maxPods) {
    return (11 * maxPods + 255) * MI;
  }

  /** kube-reserved cpu, memory and ephemeral storage for a node of this capacity (cpu, pods). */
  public static Resources of(Resources capacity) {
    return Resources.of(
        Resources.CPU,
        cpuMillis(capacity.get(Resources.CPU)),
        Resources.MEMORY,
        memoryBytes(capacity.get(Resources.PODS)),
        Resources.EPHEMERAL_STORAGE,
        GI);
  }
}
