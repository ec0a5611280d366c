package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Topology groups and their counts, kept incrementally. A count group is a (topology key, label
 * selector, namespaces) triple shared by every spread, affinity and anti-affinity term that uses
 * it; it counts matching pods per domain. An owner group counts the pods that declare a required
 * anti-affinity term, so newcomers the term selects keep out of those domains (the symmetric half
 * of anti-affinity). Counts for hostname keys live on the nodes themselves.
 */
final class Topology {

  /** A group: count group when !owner, owner group when owner. */
  static final class Group {
    final int id;
    final boolean owner;
    final String key;
    final boolean hostname;
    final Requirements selector;
    final Set<String> namespaces; // null = all
    int[] counts = new int[4]; // per domain id (non-hostname keys)
    int total;

    /** For hostname groups: how many nodes hold at least one matching pod. */
    int nodesWithPods;

    Group(int id, boolean owner, String key, Requirements selector, Set<String> namespaces) {
      this.id = id;
      this.owner = owner;
      this.key = key;
      this.hostname = WellKnownLabels.HOSTNAME.equals(key);
      this.selector = selector;
      this.namespaces = namespaces;
    }

    boolean matches(String namespace, Map<String, String> labels) {
      return selector != null
          && (namespaces == null || namespaces.contains(namespace))
          && selector.matches(labels);
    }

    int count(int domain) {
      return domain < counts.length ? counts[domain] : 0;
    }

    void add(int domain, int delta) {
      if (domain >= counts.length) {
        counts = Arrays.copyOf(counts, Math.max(domain + 1, counts.length * 2));
      }
      counts[domain] += delta;
      total += delta;
    }
  }

  private record GroupKey(boolean owner, String key, Requirements selector, Set<String> ns) {}

  private record LabelKey(String namespace, Map<String, String> labels) {}

  private final Map<GroupKey, Group> byKey = new HashMap<>();
  final List<Group> groups = new ArrayList<>();
  private final Map<LabelKey, int[]> matchCache = new HashMap<>();
  private final Map<String, Map<String, Integer>> domainIds = new HashMap<>();
  private final Map<String, List<String>> domainValues = new HashMap<>();

  Group group(boolean owner, String key, Requirements selector, Set<String> namespaces) {
    GroupKey k = new GroupKey(owner, key, selector, namespaces);
    Group g = byKey.get(k);
    if (g == null) {
      g = new Group(groups.size(), owner, key, selector, namespaces);
      byKey.put(k, g);
      groups.add(g);
      if (!matchCache.isEmpty()) {
        matchCache.clear();
      }
    }
    return g;
  }

  /** Ids of the groups whose selector matches a pod with these labels. */
  int[] matching(String namespace, Map<String, String> labels) {
    LabelKey k = new LabelKey(namespace, labels);
    int[] r = matchCache.get(k);
    if (r == null) {
      int[] tmp = new int[groups.size()];
      int n = 0;
      for (Group g : groups) {
        if (g.matches(namespace, labels)) {
          tmp[n++] = g.id;
        }
      }
      r = Arrays.copyOf(tmp, n);
      matchCache.put(k, r);
    }
    return r;
  }

  /** The id of a domain value of a key (registered on first sight). */
  int domain(String key, String value) {
    Map<String, Integer> ids = domainIds.computeIfAbsent(key, k -> new HashMap<>());
    Integer id = ids.get(value);
    if (id == null) {
      id = ids.size();
      ids.put(value, id);
      domainValues.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return id;
  }

  /** Every value registered for a key, in registration order. */
  List<String> domains(String key) {
    return domainValues.getOrDefault(key, List.of());
  }

  static String describe(Group g) {
    return g.key + " selector " + Objects.toString(g.selector);
  }
}
