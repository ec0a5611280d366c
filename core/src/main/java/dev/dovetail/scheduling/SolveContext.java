package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compiled form of one {@link SchedulingInput}: resource dimensions, pods grouped into {@link
 * PodClass}es, topology groups and domains, NodePools compiled into {@link PoolState}s (heaviest
 * first) and existing nodes as bins (running before in-flight) with their pods already counted.
 */
final class SolveContext {
  final SchedulingInput input;
  final Dims dims = new Dims();
  final ReqTable table = new ReqTable();
  final Topology topo = new Topology();
  final List<PoolState> pools = new ArrayList<>();
  final List<ExistingBin> existing = new ArrayList<>();

  /** The class of each input pod, by index. */
  final PodClass[] classOf;

  private SolveContext(SchedulingInput input) {
    this.input = input;
    this.classOf = new PodClass[input.pods().size()];
  }

  static SolveContext compile(SchedulingInput input, CatalogCache catalogs) {
    SolveContext ctx = new SolveContext(input);
    ctx.registerDims();
    List<PodClass> classes = ctx.compileClasses();
    ctx.registerGroups(classes);
    ctx.compilePools(catalogs);
    for (ExistingNode n : input.nodes()) {
      if (!n.markedForDeletion()) {
        ctx.existing.add(new ExistingBin(n, ctx.dims));
      }
    }
    ctx.existing.sort(Comparator.comparing(b -> b.node.inFlight()));
    ctx.registerDomains();
    ctx.countExistingPods();
    return ctx;
  }

  private void registerDims() {
    for (SchedulingPod p : input.pods()) {
      dims.addAll(p.requests());
    }
    for (NodePoolTemplate np : input.nodePools()) {
      for (SchedulingPod ds : np.daemonSets()) {
        dims.addAll(ds.requests());
      }
    }
  }

  /** One class per distinct pod shape. */
  private List<PodClass> compileClasses() {
    Map<PodClass.Key, PodClass> byKey = new HashMap<>();
    List<PodClass> classes = new ArrayList<>();
    for (int i = 0; i < classOf.length; i++) {
      SchedulingPod p = input.pods().get(i);
      PodClass.Key key = PodClass.Key.of(p);
      PodClass c = byKey.get(key);
      if (c == null) {
        c = new PodClass(classes.size(), p, dims);
        byKey.put(key, c);
        classes.add(c);
      }
      classOf[i] = c;
    }
    return classes;
  }

  private void registerGroups(List<PodClass> classes) {
    for (PodClass c : classes) {
      c.registerGroups(topo);
    }
    for (ExistingNode n : input.nodes()) {
      for (SchedulingPod p : n.pods()) {
        for (PodAffinityTerm t : p.podAntiAffinity()) {
          topo.group(true, t.topologyKey(), t.selector(), namespaces(t, p));
        }
      }
    }
    for (PodClass c : classes) {
      c.matched = topo.matching(c.pod.namespace(), c.pod.labels());
      for (PodAffinityTerm t : c.pod.podAntiAffinity()) {
        if (WellKnownLabels.HOSTNAME.equals(t.topologyKey())
            && topo.group(false, t.topologyKey(), t.selector(), c.namespaces(t))
                .matches(c.pod.namespace(), c.pod.labels())) {
          c.ownNode = true;
        }
      }
    }
  }

  private void compilePools(CatalogCache catalogs) {
    List<NodePoolTemplate> sorted = new ArrayList<>(input.nodePools());
    sorted.sort(
        Comparator.comparingInt(NodePoolTemplate::weight)
            .reversed()
            .thenComparing(NodePoolTemplate::name));
    for (NodePoolTemplate np : sorted) {
      PoolState ps = new PoolState(np, pools.size(), dims, table, catalogs);
      List<PodClass> ds = new ArrayList<>();
      for (SchedulingPod d : np.daemonSets()) {
        ds.add(new PodClass(-1, d, dims));
      }
      ps.addDaemonSets(ds);
      pools.add(ps);
    }
  }

  /** Every value a zone-like topology key can take on an existing node or a new one. */
  private void registerDomains() {
    Set<String> keys = new HashSet<>();
    for (Topology.Group g : topo.groups) {
      if (g.hostname || !keys.add(g.key)) {
        continue;
      }
      for (ExistingBin b : existing) {
        String v = b.value(g.key);
        if (v != null) {
          topo.domain(g.key, v);
        }
      }
      for (PoolState p : pools) {
        for (String v : p.domainValues(g.key)) {
          topo.domain(g.key, v);
        }
      }
    }
  }

  private void countExistingPods() {
    TopologyCounts counts = new TopologyCounts(topo);
    // Without any topology group (no affinity, anti-affinity or spread anywhere) there is nothing
    // to count: skip matching every running pod's labels (consolidation solves whole clusters).
    boolean anyGroup = !topo.groups.isEmpty();
    for (ExistingBin b : existing) {
      for (SchedulingPod p : b.node.pods()) {
        if (anyGroup) {
          for (int gid : topo.matching(p.namespace(), p.labels())) {
            counts.add(topo.groups.get(gid), b, 1);
          }
          for (PodAffinityTerm t : p.podAntiAffinity()) {
            counts.add(topo.group(true, t.topologyKey(), t.selector(), namespaces(t, p)), b, 1);
          }
        }
        b.addPorts(p.hostPorts());
      }
    }
  }

  private static Set<String> namespaces(PodAffinityTerm t, SchedulingPod owner) {
    if (t.namespaces() == null) {
      return null;
    }
    return t.namespaces().isEmpty() ? Set.of(owner.namespace()) : t.namespaces();
  }
}
