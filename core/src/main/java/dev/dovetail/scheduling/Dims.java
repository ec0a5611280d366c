package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Numbers the resource names of one solve so requests become {@code long[]} vectors. Index 0 is
 * cpu, 1 memory, 2 pods, 3 ephemeral-storage; extended resources follow in first-seen order.
 */
final class Dims {
  static final int CPU = 0;
  static final int MEMORY = 1;
  static final int PODS = 2;

  private final Map<String, Integer> index = new HashMap<>();
  private final List<String> names = new ArrayList<>();

  Dims() {
    add(Resources.CPU);
    add(Resources.MEMORY);
    add(Resources.PODS);
    add(Resources.EPHEMERAL_STORAGE);
  }

  void add(String name) {
    if (!index.containsKey(name)) {
      index.put(name, names.size());
      names.add(name);
    }
  }

  void addAll(Resources r) {
    for (String n : r.asMap().keySet()) {
      add(n);
    }
  }

  int size() {
    return names.size();
  }

  /** The names in index order (a copy). */
  List<String> names() {
    return List.copyOf(names);
  }

  /** Whether these dims number exactly {@code other} (same names, same order). */
  boolean sameNames(List<String> other) {
    return names.equals(other);
  }

  String name(int i) {
    return names.get(i);
  }

  /** Index of a name, or -1. */
  int indexOf(String name) {
    Integer i = index.get(name);
    return i == null ? -1 : i;
  }

  /** The vector of r over these dims; names not registered are dropped. */
  long[] vector(Resources r) {
    long[] v = new long[names.size()];
    for (Map.Entry<String, Long> e : r.asMap().entrySet()) {
      Integer i = index.get(e.getKey());
      if (i != null) {
        v[i] = e.getValue();
      }
    }
    return v;
  }

  Resources toResources(long[] v) {
    Map<String, Long> m = new HashMap<>();
    for (int i = 0; i < v.length; i++) {
      if (v[i] != 0 || i <= PODS) {
        m.put(names.get(i), v[i]);
      }
    }
    return Resources.of(m);
  }

  static boolean fits(long[] used, long[] add, long[] cap) {
    for (int i = 0; i < add.length; i++) {
      if (add[i] > 0 && used[i] + add[i] > cap[i]) {
        return false;
      }
    }
    return true;
  }

  /** Whether a total demand fits a capacity (every positive amount). */
  static boolean fits(long[] demand, long[] cap) {
    for (int i = 0; i < demand.length; i++) {
      if (demand[i] > 0 && demand[i] > cap[i]) {
        return false;
      }
    }
    return true;
  }

  static void addInto(long[] acc, long[] add) {
    for (int i = 0; i < add.length; i++) {
      acc[i] += add[i];
    }
  }

  /** Human-readable list of the non-zero amounts of v. */
  String describe(long[] v) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      if (v[i] != 0 && i != PODS) {
        if (sb.length() > 0) {
          sb.append(", ");
        }
        sb.append(names.get(i))
            .append('=')
            .append(dev.dovetail.cloudprovider.Quantities.format(names.get(i), v[i]));
      }
    }
    return sb.toString();
  }
}
