package dev.dovetail.state;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The last {@code capacity} names added, oldest dropped first; safe for concurrent use. */
final class RecentNames {
  private final Set<String> names;

  RecentNames(int capacity) {
    names =
        Collections.synchronizedSet(
            Collections.newSetFromMap(
                new LinkedHashMap<String, Boolean>() {
                  @Override
                  protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > capacity;
                  }
                }));
  }

  void add(String name) {
    names.add(name);
  }

  boolean contains(String name) {
    return names.contains(name);
  }
}
