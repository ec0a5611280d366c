package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Operator;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random catalogs, NodePools, existing nodes and pods from one seed (for property tests). */
final class RandomScenario {
  static final long GI = 1L << 30;
  static final long MI = 1L << 20;
  static final String[] ZONES = {"z1", "z2", "z3"};

  private RandomScenario() {}

  static SchedulingInput generate(long seed) {
    Random r = new Random(seed);
    List<InstanceType> types = catalog(r);
    List<NodePoolTemplate> pools = new ArrayList<>();
    int nPools = 1 + r.nextInt(3);
    for (int i = 0; i < nPools; i++) {
      pools.add(pool(r, "pool-" + i, types));
    }
    List<ExistingNode> nodes = new ArrayList<>();
    int nNodes = r.nextInt(4);
    for (int i = 0; i < nNodes; i++) {
      nodes.add(node(r, "node-" + i));
    }
    List<SchedulingPod> pods = new ArrayList<>();
    int nPods = 1 + r.nextInt(60);
    // groups are self-contained: a label only the group's pods carry
    int groups = 1 + r.nextInt(4);
    int[] kind = new int[groups];
    int[] skew = new int[groups];
    for (int g = 0; g < groups; g++) {
      kind[g] = r.nextInt(6);
      skew[g] = 1 + r.nextInt(2);
    }
    for (int i = 0; i < nPods; i++) {
      pods.add(pod(r, "ns/p" + i, kind, skew));
    }
    boolean ignore = r.nextInt(5) == 0;
    return new SchedulingInput(
        pods, nodes, pools, new SchedulingOptions(ignore, 0, 1 + r.nextInt(60)));
  }

  private static List<InstanceType> catalog(Random r) {
    List<InstanceType> out = new ArrayList<>();
    int n = 5 + r.nextInt(20);
    int[] cores = {1, 2, 4, 8, 16, 32};
    int[] ratio = {2, 4, 8};
    for (int i = 0; i < n; i++) {
      int c = cores[r.nextInt(cores.length)];
      int m = ratio[r.nextInt(ratio.length)];
      String arch = r.nextBoolean() ? "amd64" : "arm64";
      long gpu = r.nextInt(10) == 0 ? 1 + r.nextInt(4) : 0;
      double price = c * 0.04 * (1 + m / 8.0) + gpu * 0.5 + r.nextDouble() * 0.01;
      List<Offering> offs = new ArrayList<>();
      for (String z : ZONES) {
        offs.add(new Offering(z, "on-demand", price, r.nextInt(5) > 0));
        offs.add(new Offering(z, "spot", price * (0.5 + r.nextDouble() * 0.4), r.nextInt(5) > 0));
      }
      String name = "t" + i + "-" + c + "x" + m;
      Resources cap =
          Resources.of(
              Resources.CPU, c * 1000L, Resources.MEMORY, c * m * GI, Resources.PODS, 110L);
      if (gpu > 0) {
        cap = cap.add(Resources.of(Resources.NVIDIA_GPU, gpu));
      }
      out.add(
          new InstanceType(
              name,
              Requirements.of(
                  Requirement.in(WellKnownLabels.INSTANCE_TYPE, name),
                  Requirement.in(WellKnownLabels.ARCH, arch),
                  Requirement.in("family", "f" + (i % 4))),
              offs,
              cap,
              new InstanceType.Overhead(
                  Resources.of(Resources.CPU, 100L, Resources.MEMORY, 200 * MI), null, null)));
    }
    return out;
  }

  private static NodePoolTemplate pool(Random r, String name, List<InstanceType> types) {
    List<Requirement> reqs = new ArrayList<>();
    if (r.nextInt(10) < 3) {
      reqs.add(Requirement.in(WellKnownLabels.ARCH, r.nextBoolean() ? "amd64" : "arm64"));
    }
    if (r.nextInt(10) < 2) {
      reqs.add(Requirement.in(WellKnownLabels.CAPACITY_TYPE, "on-demand"));
    }
    if (r.nextInt(10) < 2) {
      reqs.add(Requirement.of(WellKnownLabels.INSTANCE_TYPE, Operator.Exists, List.of(), 2));
    }
    if (r.nextInt(10) < 1) {
      reqs.add(Requirement.of("family", Operator.Exists, List.of(), 2));
    }
    List<Taint> taints =
        r.nextInt(10) < 3 ? List.of(new Taint("dedicated", "x", "NoSchedule")) : List.of();
    Resources limits =
        r.nextInt(10) < 3
            ? Resources.of(Resources.CPU, (8 + r.nextInt(60)) * 1000L)
            : r.nextInt(10) == 0 ? Resources.of("nodes", (long) 1 + r.nextInt(3)) : null;
    List<SchedulingPod> ds =
        r.nextInt(10) < 3
            ? List.of(SchedulingPod.builder("ds").requests(100, 128 * MI).build())
            : List.of();
    return new NodePoolTemplate(
        name,
        r.nextInt(3) * 10,
        Requirements.of(reqs),
        Map.of("team", name),
        taints,
        List.of(),
        limits,
        null,
        types,
        ds);
  }

  private static ExistingNode node(Random r, String name) {
    Map<String, String> labels = new HashMap<>();
    labels.put(WellKnownLabels.ZONE, ZONES[r.nextInt(3)]);
    labels.put(WellKnownLabels.ARCH, r.nextBoolean() ? "amd64" : "arm64");
    labels.put(WellKnownLabels.HOSTNAME, name);
    List<Taint> taints =
        r.nextInt(5) == 0 ? List.of(new Taint("dedicated", "x", "NoSchedule")) : List.of();
    List<SchedulingPod> pods = new ArrayList<>();
    if (r.nextBoolean()) {
      pods.add(
          SchedulingPod.builder(name + "/running").label("app", "old").requests(500, GI).build());
    }
    return new ExistingNode(
        name,
        labels,
        taints,
        Resources.of(Resources.CPU, 4000L, Resources.MEMORY, 16 * GI, Resources.PODS, 30L),
        Resources.of(Resources.CPU, 500L * pods.size(), Resources.MEMORY, GI * pods.size()),
        pods,
        r.nextInt(4) == 0,
        r.nextInt(6) == 0,
        null);
  }

  private static SchedulingPod pod(Random r, String id, int[] kind, int[] skew) {
    long cpu = 50 + r.nextInt(40) * 100L;
    long mem = (64 + r.nextInt(64) * 128L) * MI;
    SchedulingPod.Builder b = SchedulingPod.builder(id).namespace("ns").requests(cpu, mem);
    if (r.nextInt(10) == 0) {
      b.requests(
          Resources.of(
              Resources.CPU, cpu, Resources.MEMORY, mem, Resources.NVIDIA_GPU, 1L + r.nextInt(2)));
    }
    if (r.nextInt(5) == 0) {
      b.nodeSelector(WellKnownLabels.ARCH, r.nextBoolean() ? "amd64" : "arm64");
    }
    if (r.nextInt(10) == 0) {
      b.requiredNodeAffinityTerm(Requirements.of(Requirement.in(WellKnownLabels.ZONE, "z1")));
      b.requiredNodeAffinityTerm(Requirements.of(Requirement.in(WellKnownLabels.ZONE, "z2")));
    }
    if (r.nextInt(10) < 3) {
      b.toleration(Toleration.exists("dedicated"));
    }
    if (r.nextInt(10) == 0) {
      b.hostPort(HostPort.tcp(8080));
    }
    if (r.nextInt(10) == 0) {
      b.preferredNodeAffinity(
          50,
          Requirements.of(
              Requirement.in(WellKnownLabels.ARCH, r.nextBoolean() ? "amd64" : "arm64")));
    }
    if (r.nextInt(10) == 0) {
      b.volumeRequirements(
          Requirements.of(Requirement.in(WellKnownLabels.ZONE, ZONES[r.nextInt(3)])));
    }
    if (r.nextInt(3) > 0) {
      int g = r.nextInt(kind.length);
      String label = "g" + g;
      Requirements sel = Requirements.of(Requirement.in("grp", label));
      b.label("grp", label);
      switch (kind[g]) {
        case 0 -> b.podAntiAffinity(PodAffinityTerm.of(sel, WellKnownLabels.HOSTNAME));
        case 1 -> b.topologySpread(TopologySpreadConstraint.of(skew[g], WellKnownLabels.ZONE, sel));
        case 2 ->
            b.topologySpread(TopologySpreadConstraint.of(skew[g], WellKnownLabels.HOSTNAME, sel));
        case 3 -> b.podAffinity(PodAffinityTerm.of(sel, WellKnownLabels.ZONE));
        case 4 -> b.podAntiAffinity(PodAffinityTerm.of(sel, WellKnownLabels.ZONE));
        default ->
            b.preferredPodAntiAffinity(10, PodAffinityTerm.of(sel, WellKnownLabels.HOSTNAME));
      }
    }
    return b.build();
  }
}
