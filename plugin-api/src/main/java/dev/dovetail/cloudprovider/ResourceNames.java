package dev.dovetail.cloudprovider;

import java.util.Map;

/**
 * Canonical resource-name strings and name arrays for {@link Resources}. A pod's requests arrive
 * with freshly deserialized name strings and every {@code Resources} needs a sorted name array; at
 * 50,000 pods (several translations each) those copies were a large share of the heap, so names are
 * mapped to one instance and the arrays of the common names to one shared array. Every table here
 * is built once and never changed.
 */
final class ResourceNames {
  private ResourceNames() {}

  /** The names almost every pod and node carries, in sorted order; bit i of a mask is CORE[i]. */
  private static final String[] CORE = {
    Resources.CPU, Resources.EPHEMERAL_STORAGE, Resources.MEMORY, Resources.PODS
  };

  private static final Map<String, String> KNOWN =
      Map.of(
          Resources.CPU, Resources.CPU,
          Resources.MEMORY, Resources.MEMORY,
          Resources.EPHEMERAL_STORAGE, Resources.EPHEMERAL_STORAGE,
          Resources.PODS, Resources.PODS,
          Resources.NVIDIA_GPU, Resources.NVIDIA_GPU,
          Resources.AMD_GPU, Resources.AMD_GPU,
          Resources.AWS_NEURON, Resources.AWS_NEURON);

  /** SUBSETS[mask]: the sorted array of the core names whose bits are set in mask. */
  private static final String[][] SUBSETS = subsets();

  static final String[] NONE = SUBSETS[0];

  private static String[][] subsets() {
    String[][] out = new String[1 << CORE.length][];
    for (int mask = 0; mask < out.length; mask++) {
      String[] a = new String[Integer.bitCount(mask)];
      int k = 0;
      for (int i = 0; i < CORE.length; i++) {
        if ((mask & (1 << i)) != 0) {
          a[k++] = CORE[i];
        }
      }
      out[mask] = a;
    }
    return out;
  }

  /** One instance per name: the constant for well-known names, the interned string otherwise. */
  static String canonical(String name) {
    String known = KNOWN.get(name);
    return known != null ? known : name.intern();
  }

  /**
   * The shared array equal to {@code sorted} when it holds only core names, else {@code sorted}
   * itself. Its elements must already be {@link #canonical}.
   */
  static String[] share(String[] sorted) {
    int mask = 0;
    for (String n : sorted) {
      int bit = coreIndex(n);
      if (bit < 0) {
        return sorted;
      }
      mask |= 1 << bit;
    }
    return SUBSETS[mask];
  }

  private static int coreIndex(String canonicalName) {
    for (int i = 0; i < CORE.length; i++) {
      if (CORE[i] == canonicalName) {
        return i;
      }
    }
    return -1;
  }
}
