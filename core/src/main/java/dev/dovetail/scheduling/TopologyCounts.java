package dev.dovetail.scheduling;

/**
 * Keeps the topology counts of a solve up to date as pods land on (or leave) bins: per domain for
 * zone-like keys, per bin for hostname groups (with the number of nodes holding a matching pod).
 */
final class TopologyCounts {
  private final Topology topo;

  TopologyCounts(Topology topo) {
    this.topo = topo;
  }

  /** Counts a pod of class cls on bin b (delta +1 lands, -1 leaves). */
  void add(PodClass cls, Bin b, int delta) {
    for (int gid : cls.matched) {
      Topology.Group g = topo.groups.get(gid);
      if (!g.owner) {
        add(g, b, delta);
      }
    }
    for (Topology.Group g : cls.declaredOwners) {
      add(g, b, delta);
    }
  }

  /** Counts one matching pod in group g on bin b (nothing when b has no value for g's key). */
  void add(Topology.Group g, Bin b, int delta) {
    if (g.hostname) {
      if (b.host.get(g.id) == 0 && delta > 0) {
        g.nodesWithPods++;
      }
      b.host.add(g.id, delta);
      g.total += delta;
      return;
    }
    String value = b.value(g.key);
    if (value != null) {
      g.add(topo.domain(g.key, value), delta);
    }
  }
}
