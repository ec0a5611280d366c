package dev.dovetail.azure.instancetype;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Resources;

/**
 * The node overhead AKS reserves (upstream {@code KubeReservedResources} / {@code
 * EvictionThreshold}): kube-reserved CPU and memory by regressive brackets, no system-reserved, and
 * a 750Mi {@code memory.available} hard-eviction threshold.
 */
public final class AksOverhead {
  /** Memory brackets in GiB: 25% of the first 4, 20% of the next 4, 10% of the next 8, ... */
  private static final double[][] MEMORY = {
    {4, .25}, {8, .20}, {16, .10}, {128, .06}, {Double.MAX_VALUE, .02}
  };

  /** CPU brackets in vCPUs: 6% of the first, 4% of the second, 2% of the next two, then 1%. */
  private static final double[][] CPU = {{1, .06}, {2, .04}, {4, .02}, {Double.MAX_VALUE, .01}};

  static final long EVICTION_MEMORY = 750L << 20;

  private AksOverhead() {}

  public static InstanceType.Overhead of(int vcpus, long memoryMiB) {
    long cpuMilli = (long) (1000 * tax(CPU, vcpus));
    long memMi = (long) (1024 * tax(MEMORY, memoryMiB / 1024.0));
    return new InstanceType.Overhead(
        Resources.of(Resources.CPU, cpuMilli, Resources.MEMORY, memMi << 20),
        Resources.EMPTY,
        Resources.of(Resources.MEMORY, EVICTION_MEMORY));
  }

  static double tax(double[][] brackets, double amount) {
    double total = 0;
    double lower = 0;
    for (double[] b : brackets) {
      if (amount <= lower) {
        break;
      }
      total += (Math.min(amount, b[0]) - lower) * b[1];
      lower = b[0];
    }
    return total;
  }
}
