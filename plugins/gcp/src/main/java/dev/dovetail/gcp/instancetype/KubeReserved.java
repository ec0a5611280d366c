package dev.dovetail.gcp.instancetype;

import dev.dovetail.cloudprovider.Resources;

/**
 * GKE's node allocatable reservations
 * (cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes): kube-reserved CPU and memory
 * by tiers of the machine size, 100 MiB memory eviction threshold, and the boot disk's
 * ephemeral-storage eviction threshold and system reservation.
 */
public final class KubeReserved {
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;

  private KubeReserved() {}

  /** Reserved millicores for a machine with {@code milliCpu} guest CPU. */
  public static long cpuMillis(String machineType, long milliCpu) {
    if (machineType.equals("e2-micro")
        || machineType.equals("e2-small")
        || machineType.equals("e2-medium")) {
      return 1060; // shared-core E2: GKE reserves a fixed 1060m
    }
    double[][] tiers = {{1000, 0.06}, {1000, 0.01}, {2000, 0.005}, {Double.MAX_VALUE, 0.0025}};
    return tiered(milliCpu, tiers);
  }

  /** Reserved MiB for a machine with {@code memoryMiB}. */
  public static long memoryMiB(long memoryMiB) {
    if (memoryMiB <= 1024) {
      return 255;
    }
    double[][] tiers = {
      {4096, 0.25}, {4096, 0.20}, {8192, 0.10}, {114688, 0.06}, {Double.MAX_VALUE, 0.02}
    };
    return tiered(memoryMiB, tiers);
  }

  private static long tiered(long amount, double[][] tiers) {
    double left = amount;
    long reserved = 0;
    for (double[] tier : tiers) {
      if (left <= 0) {
        break;
      }
      reserved += (long) (Math.min(left, tier[0]) * tier[1]);
      left -= tier[0];
    }
    return reserved;
  }

  /** kube-reserved as resources (cpu in millicores, memory in bytes). */
  public static Resources kubeReserved(String machineType, int vcpus, long memoryMiB) {
    return Resources.of(
        Resources.CPU,
        cpuMillis(machineType, vcpus * 1000L),
        Resources.MEMORY,
        memoryMiB(memoryMiB) * MIB);
  }

  /** Hard eviction thresholds: 100 MiB memory and 10% of the boot disk. */
  public static Resources evictionThreshold(long bootDiskGiB) {
    return Resources.of(
        Resources.MEMORY, 100 * MIB, Resources.EPHEMERAL_STORAGE, bootDiskGiB * GIB / 10);
  }

  /** System reservation of ephemeral storage on the boot disk: min(50%, 35% + 6 GiB, 100 GiB). */
  public static Resources systemReserved(long bootDiskGiB) {
    long gib =
        Math.min(Math.round(bootDiskGiB * 0.50), Math.min(Math.round(bootDiskGiB * 0.35 + 6), 100));
    return Resources.of(Resources.EPHEMERAL_STORAGE, gib * GIB);
  }
}
