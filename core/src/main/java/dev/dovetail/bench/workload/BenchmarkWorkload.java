package dev.dovetail.bench.workload;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.scheduling.NodePoolTemplate;
import dev.dovetail.scheduling.PodAffinityTerm;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.scheduling.SchedulingResult;
import dev.dovetail.scheduling.TopologySpreadConstraint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Karpenter's scheduling benchmark workload (shared/bench/WORKLOAD.md): {@code InstanceTypes(400)}
 * of the fake cloud provider, one unconstrained NodePool, {@code makeDiversePods(N)} and {@code
 * makePreferencePods(N)}. Used by the JMH benchmarks and {@code dovetail bench scheduling}.
 */
public final class BenchmarkWorkload {
  private BenchmarkWorkload() {}

  /** The fixed seed of the pod generator (Karpenter uses Go's math/rand with seed 42). */
  public static final long SEED = 42;

  static final long GI = 1L << 30;
  static final long MI = 1L << 20;
  static final long[] CPU = {100, 250, 500, 1000, 1500};
  static final long[] MEMORY = {100 * MI, 256 * MI, 512 * MI, 1024 * MI, 2048 * MI, 4096 * MI};
  static final String[] LABEL_VALUES = {"a", "b", "c", "d", "e", "f", "g"};
  public static final List<String> ZONES = List.of("test-zone-1", "test-zone-2", "test-zone-3");

  /** {@code fake-it-0 .. fake-it-(n-1)}: i+1 cores, 2(i+1) GiB, 10(i+1) pods. */
  public static List<InstanceType> instanceTypes(int n) {
    List<InstanceType> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long cores = i + 1;
      long mem = 2 * cores * GI;
      double price = 0.1 * cores + 0.1 * mem / 1e9;
      List<Offering> offerings =
          List.of(
              new Offering("test-zone-1", "spot", price, true),
              new Offering("test-zone-2", "spot", price, true),
              new Offering("test-zone-1", "on-demand", price, true),
              new Offering("test-zone-2", "on-demand", price, true),
              new Offering("test-zone-3", "on-demand", price, true));
      String name = "fake-it-" + i;
      boolean large = cores > 4 && mem > 8 * GI;
      Requirements reqs =
          Requirements.of(
              Requirement.in(WellKnownLabels.INSTANCE_TYPE, name),
              Requirement.in(WellKnownLabels.ARCH, "amd64"),
              Requirement.in(WellKnownLabels.OS, "linux", "windows", "darwin"),
              Requirement.in(WellKnownLabels.ZONE, ZONES),
              Requirement.in(WellKnownLabels.CAPACITY_TYPE, "spot", "on-demand"),
              Requirement.in("size", large ? "large" : "small"),
              Requirement.in("integer", Long.toString(cores)));
      out.add(
          new InstanceType(
              name,
              reqs,
              offerings,
              Resources.of(
                  Resources.CPU, cores * 1000, Resources.MEMORY, mem, Resources.PODS, 10 * cores),
              new InstanceType.Overhead(
                  Resources.of(Resources.CPU, 100L, Resources.MEMORY, 10 * MI), null, null)));
    }
    return out;
  }

  /** The benchmark's single NodePool: no requirements, limits cpu 10,000,000 and memory 10Mi Gi. */
  public static NodePoolTemplate nodePool(List<InstanceType> types) {
    return new NodePoolTemplate(
        "default",
        0,
        Requirements.none(),
        Map.of(),
        List.of(),
        List.of(),
        Resources.of(Resources.CPU, 10_000_000_000L, Resources.MEMORY, 10_000_000L * GI),
        Resources.EMPTY,
        types,
        List.of());
  }

  /** {@code makeDiversePods(n)}: n/5 of each constrained kind, the rest generic. */
  public static List<SchedulingPod> diversePods(int n, long seed) {
    return diversePods(n, seed, "");
  }

  /** {@link #diversePods(int, long)} with every pod name prefixed (for a second, distinct set). */
  public static List<SchedulingPod> diversePods(int n, long seed, String namePrefix) {
    Random rnd = new Random(seed);
    int each = n / 5;
    List<SchedulingPod> pods = new ArrayList<>(n);
    int generic = n - 4 * each;
    for (int i = 0; i < generic; i++) {
      pods.add(base(namePrefix + "generic-" + i, rnd).label("my-label", value(rnd)).build());
    }
    for (int i = 0; i < each; i++) {
      pods.add(spread(namePrefix + "zonal-spread-" + i, WellKnownLabels.ZONE, rnd));
    }
    for (int i = 0; i < each; i++) {
      pods.add(spread(namePrefix + "host-spread-" + i, WellKnownLabels.HOSTNAME, rnd));
    }
    for (int i = 0; i < each; i++) {
      String v = value(rnd);
      pods.add(
          base(namePrefix + "zonal-affinity-" + i, rnd)
              .label("my-affininity", v)
              .podAffinity(
                  PodAffinityTerm.of(
                      Requirements.of(Requirement.in("my-affininity", v)), WellKnownLabels.ZONE))
              .build());
    }
    for (int i = 0; i < each; i++) {
      pods.add(
          base(namePrefix + "host-anti-affinity-" + i, rnd)
              .label("app", "nginx")
              .podAntiAffinity(
                  PodAffinityTerm.of(
                      Requirements.of(Requirement.in("app", "nginx")), WellKnownLabels.HOSTNAME))
              .build());
    }
    return pods;
  }

  /**
   * {@code makePreferencePods(n)}: app=nginx, preferred node affinity to test-zone-1, preferred
   * anti-affinity to app=nginx with weight 10 on zone and weight 1 on hostname.
   */
  public static List<SchedulingPod> preferencePods(int n, long seed) {
    Random rnd = new Random(seed);
    Requirements nginx = Requirements.of(Requirement.in("app", "nginx"));
    List<SchedulingPod> pods = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      pods.add(
          base("preference-" + i, rnd)
              .label("app", "nginx")
              .preferredNodeAffinity(
                  1, Requirements.of(Requirement.in(WellKnownLabels.ZONE, "test-zone-1")))
              .preferredPodAntiAffinity(10, PodAffinityTerm.of(nginx, WellKnownLabels.ZONE))
              .preferredPodAntiAffinity(1, PodAffinityTerm.of(nginx, WellKnownLabels.HOSTNAME))
              .build());
    }
    return pods;
  }

  private static SchedulingPod spread(String id, String key, Random rnd) {
    SchedulingPod.Builder b = base(id, rnd).label("my-label", value(rnd));
    return b.topologySpread(
            TopologySpreadConstraint.of(
                1, key, Requirements.of(Requirement.in("my-label", value(rnd)))))
        .build();
  }

  private static SchedulingPod.Builder base(String id, Random rnd) {
    return SchedulingPod.builder("default/" + id)
        .namespace("default")
        .requests(CPU[rnd.nextInt(CPU.length)], MEMORY[rnd.nextInt(MEMORY.length)]);
  }

  private static String value(Random rnd) {
    return LABEL_VALUES[rnd.nextInt(LABEL_VALUES.length)];
  }

  /**
   * A fractional lower bound on the $/h of any placement: total cpu (and memory) requested divided
   * by the best allocatable-cpu (memory) per dollar of any type, the larger of the two.
   */
  public static double lowerBound(List<SchedulingPod> pods, List<InstanceType> types) {
    long cpu = 0;
    long mem = 0;
    for (SchedulingPod p : pods) {
      cpu += p.requests().get(Resources.CPU);
      mem += p.requests().get(Resources.MEMORY);
    }
    double bestCpu = 0;
    double bestMem = 0;
    for (InstanceType t : types) {
      double price = Double.POSITIVE_INFINITY;
      for (Offering o : t.offerings()) {
        if (o.available()) {
          price = Math.min(price, o.price());
        }
      }
      Resources a = t.allocatable();
      bestCpu = Math.max(bestCpu, a.get(Resources.CPU) / price);
      bestMem = Math.max(bestMem, a.get(Resources.MEMORY) / price);
    }
    return Math.max(cpu / bestCpu, mem / bestMem);
  }

  /**
   * A tighter lower bound: every node also pays its type's overhead (kube-reserved and the like),
   * and there are at least as many nodes as the largest set of pods that exclude each other by a
   * required hostname anti-affinity to their own labels (the benchmark's {@code app=nginx} pods,
   * N/5 of them). Total requests plus that many times the smallest overhead of any type, at the
   * best capacity per $ of any type, for cpu and for memory, the larger of the two.
   */
  public static double lowerBoundWithNodes(List<SchedulingPod> pods, List<InstanceType> types) {
    long cpu = 0;
    long mem = 0;
    for (SchedulingPod p : pods) {
      cpu += p.requests().get(Resources.CPU);
      mem += p.requests().get(Resources.MEMORY);
    }
    long nodes = forcedNodes(pods);
    double bestCpu = 0;
    double bestMem = 0;
    long overheadCpu = Long.MAX_VALUE;
    long overheadMem = Long.MAX_VALUE;
    for (InstanceType t : types) {
      double price = Double.POSITIVE_INFINITY;
      for (Offering o : t.offerings()) {
        if (o.available()) {
          price = Math.min(price, o.price());
        }
      }
      Resources cap = t.capacity();
      Resources overhead = cap.subtract(t.allocatable());
      bestCpu = Math.max(bestCpu, cap.get(Resources.CPU) / price);
      bestMem = Math.max(bestMem, cap.get(Resources.MEMORY) / price);
      overheadCpu = Math.min(overheadCpu, overhead.get(Resources.CPU));
      overheadMem = Math.min(overheadMem, overhead.get(Resources.MEMORY));
    }
    return Math.max((cpu + nodes * overheadCpu) / bestCpu, (mem + nodes * overheadMem) / bestMem);
  }

  /**
   * The most pods that pairwise need different nodes: pods sharing one required hostname
   * anti-affinity term that their own labels match.
   */
  static long forcedNodes(List<SchedulingPod> pods) {
    java.util.Map<PodAffinityTerm, Long> groups = new java.util.HashMap<>();
    for (SchedulingPod p : pods) {
      for (PodAffinityTerm t : p.podAntiAffinity()) {
        if (WellKnownLabels.HOSTNAME.equals(t.topologyKey())
            && t.selector() != null
            && t.selector().matches(p.labels())) {
          groups.merge(t, 1L, Long::sum);
        }
      }
    }
    long most = pods.isEmpty() ? 0 : 1;
    for (long n : groups.values()) {
      most = Math.max(most, n);
    }
    return most;
  }

  /** Total $/h of a result's new NodeClaims (each at its cheapest option). */
  public static double cost(SchedulingResult r) {
    double sum = 0;
    for (NewNodeClaim c : r.newNodeClaims()) {
      sum += c.cheapestPrice();
    }
    return sum;
  }
}
