package dev.dovetail.controllers.disruption.model;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.NodePoolTemplate;
import dev.dovetail.scheduling.SchedulingPod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small in-memory cluster for planner tests: one zone, types priced by size. */
final class PlannerFixture {
  static final long GI = 1L << 30;
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  final List<InstanceType> types = new ArrayList<>();
  final List<ExistingNode> nodes = new ArrayList<>();
  final List<Candidate> candidates = new ArrayList<>();
  final Map<String, PoolPolicy> policies = new HashMap<>();
  Requirements poolRequirements =
      Requirements.of(
          Requirement.in(WellKnownLabels.CAPACITY_TYPE, WellKnownLabels.CAPACITY_TYPE_ON_DEMAND));
  private int podSeq;

  PlannerFixture() {
    for (int s : new int[] {1, 2, 4, 8, 16}) {
      types.add(type("m." + s + "xl", 2 * s, 8L * s, 0.1 * s, 0.03 * s));
    }
    policies.put(
        "default", PoolPolicy.defaults("default").withBudgets(List.of(BudgetRule.of("100%"))));
  }

  static InstanceType type(String name, int cores, long memGi, double od, double spot) {
    return type(
        name,
        cores,
        memGi,
        List.of(
            new Offering("zone-a", "on-demand", od, true),
            new Offering("zone-a", "spot", spot, true)));
  }

  /** A linux/amd64 type sold as {@code offerings}. */
  static InstanceType type(String name, int cores, long memGi, List<Offering> offerings) {
    return new InstanceType(
        name,
        Requirements.of(
            Requirement.in(WellKnownLabels.INSTANCE_TYPE, name),
            Requirement.in(WellKnownLabels.ARCH, "amd64"),
            Requirement.in(WellKnownLabels.OS, "linux")),
        offerings,
        Resources.of(
            Resources.CPU, cores * 1000L, Resources.MEMORY, memGi * GI, Resources.PODS, 110L),
        null);
  }

  InstanceType type(String name) {
    return types.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  List<SchedulingPod> pods(int n, long cpuMillis, long memBytes) {
    List<SchedulingPod> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(SchedulingPod.builder("default/p" + podSeq++).requests(cpuMillis, memBytes).build());
    }
    return out;
  }

  /** Adds a managed node of this type with these pods; returns its candidate. */
  Candidate node(String name, String typeName, String capacityType, List<SchedulingPod> pods) {
    InstanceType it = type(typeName);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(WellKnownLabels.INSTANCE_TYPE, typeName);
    labels.put(WellKnownLabels.ZONE, "zone-a");
    labels.put(WellKnownLabels.CAPACITY_TYPE, capacityType);
    labels.put(WellKnownLabels.NODE_POOL, "default");
    labels.put(WellKnownLabels.ARCH, "amd64");
    labels.put(WellKnownLabels.OS, "linux");
    labels.put(WellKnownLabels.HOSTNAME, name);
    Resources req = Resources.of(Resources.PODS, (long) pods.size());
    for (SchedulingPod p : pods) {
      req = req.add(p.requests());
    }
    nodes.add(
        new ExistingNode(
            name, labels, List.of(), it.allocatable(), req, pods, false, false, "default"));
    double price =
        it.offerings().stream()
            .filter(o -> o.capacityType().equals(capacityType))
            .findFirst()
            .orElseThrow()
            .price();
    Candidate c =
        new Candidate(
            "claim-" + name,
            name,
            "default",
            typeName,
            capacityType,
            "zone-a",
            price,
            pods,
            T0,
            null,
            null,
            pods.size());
    candidates.add(c);
    return c;
  }

  void replace(Candidate old, Candidate updated) {
    candidates.set(candidates.indexOf(old), updated);
  }

  ClusterModel model() {
    NodePoolTemplate pool =
        new NodePoolTemplate(
            "default",
            0,
            poolRequirements,
            Map.of(),
            List.of(),
            List.of(),
            null,
            null,
            types,
            List.of());
    Map<String, ClusterModel.PoolCounts> counts =
        Map.of("default", new ClusterModel.PoolCounts(candidates.size(), 0, Integer.MAX_VALUE));
    return new ClusterModel(nodes, List.of(pool), candidates, policies, counts);
  }

  ClusterModel model(int disrupting, int evictionsLeft) {
    ClusterModel m = model();
    return new ClusterModel(
        m.nodes(),
        m.nodePools(),
        m.candidates(),
        m.policies(),
        Map.of(
            "default", new ClusterModel.PoolCounts(candidates.size(), disrupting, evictionsLeft)));
  }
}
