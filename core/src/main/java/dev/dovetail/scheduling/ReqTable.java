package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Interns the {@link Requirements} of one solve as small ints and caches their algebra. A solve
 * sees few distinct requirement sets (NodePool x pod term x pinned domain) but combines them
 * millions of times, so intersections and compatibility answers are computed once.
 */
final class ReqTable {
  private final Map<Requirements, Integer> ids = new HashMap<>();
  private final List<Requirements> values = new ArrayList<>();
  private final Map<Long, Integer> andCache = new HashMap<>();
  private final Map<PinKey, Integer> pinCache = new HashMap<>();

  private record PinKey(int id, String key, String value) {}

  int intern(Requirements r) {
    Integer id = ids.get(r);
    if (id == null) {
      id = values.size();
      ids.put(r, id);
      values.add(r);
    }
    return id;
  }

  Requirements get(int id) {
    return values.get(id);
  }

  int size() {
    return values.size();
  }

  /** The intersection of two interned sets. */
  int and(int a, int b) {
    if (a == b) {
      return a;
    }
    long key = ((long) Math.min(a, b) << 32) | Math.max(a, b);
    Integer r = andCache.get(key);
    if (r == null) {
      r = intern(values.get(a).and(values.get(b)));
      andCache.put(key, r);
    }
    return r;
  }

  /** {@code a} with {@code key In [value]} added. */
  int pin(int a, String key, String value) {
    PinKey ck = new PinKey(a, key, value);
    Integer r = pinCache.get(ck);
    if (r == null) {
      r = intern(values.get(a).and(Requirement.in(key, value)));
      pinCache.put(ck, r);
    }
    return r;
  }

  /** The single value of key in set a, or null when undecided or absent. */
  String single(int a, String key) {
    Requirement r = values.get(a).get(key);
    if (r == null || r.complement() || r.size() != 1) {
      return null;
    }
    return r.any();
  }
}
