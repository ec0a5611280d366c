package dev.dovetail.scheduling;

import java.util.Arrays;

/**
 * A tiny int-to-int counter with sorted keys. A node touches few topology groups, so a sorted pair
 * of arrays beats a map in both memory and speed.
 */
final class IntCounter {
  private int[] keys = new int[0];
  private int[] counts = new int[0];
  private int size;

  int get(int key) {
    int i = Arrays.binarySearch(keys, 0, size, key);
    return i >= 0 ? counts[i] : 0;
  }

  void add(int key, int delta) {
    int i = Arrays.binarySearch(keys, 0, size, key);
    if (i >= 0) {
      counts[i] += delta;
      return;
    }
    i = -i - 1;
    if (size == keys.length) {
      int n = Math.max(4, size * 2);
      keys = Arrays.copyOf(keys, n);
      counts = Arrays.copyOf(counts, n);
    }
    System.arraycopy(keys, i, keys, i + 1, size - i);
    System.arraycopy(counts, i, counts, i + 1, size - i);
    keys[i] = key;
    counts[i] = delta;
    size++;
  }
}
