package dev.dovetail.demo;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The demo's workload: a deterministic (by seed) mix of services of different sizes, some pinned to
 * arm64, some to spot capacity, a few needing a GPU. Each pod is owned by a (notional) ReplicaSet,
 * as pods of a Deployment would be.
 */
public final class Workload {
  public static final String NAMESPACE = "default";

  /** A kind of pod and its share of the workload. */
  record Kind(
      String app,
      double share,
      String cpu,
      String memory,
      Map<String, String> nodeSelector,
      List<Toleration> tolerations,
      Map<String, String> extra) {}

  static final Toleration GPU_TOLERATION =
      new TolerationBuilder()
          .withKey("nvidia.com/gpu")
          .withOperator("Exists")
          .withEffect("NoSchedule")
          .build();

  static final List<Kind> KINDS =
      List.of(
          new Kind("web", 0.44, "250m", "512Mi", Map.of(), List.of(), Map.of()),
          new Kind("api", 0.24, "500m", "1Gi", Map.of(), List.of(), Map.of()),
          new Kind("worker", 0.12, "1", "2Gi", Map.of(), List.of(), Map.of()),
          new Kind("cache", 0.06, "500m", "4Gi", Map.of(), List.of(), Map.of()),
          new Kind(
              "arm-svc",
              0.06,
              "500m",
              "1Gi",
              Map.of("kubernetes.io/arch", "arm64"),
              List.of(),
              Map.of()),
          new Kind(
              "batch-spot",
              0.06,
              "1",
              "1Gi",
              Map.of("karpenter.sh/capacity-type", "spot"),
              List.of(),
              Map.of()),
          new Kind(
              "trainer",
              0.02,
              "2",
              "8Gi",
              Map.of(),
              List.of(GPU_TOLERATION),
              Map.of("nvidia.com/gpu", "1")));

  private Workload() {}

  /** {@code count} pods, deterministic for a seed. */
  public static List<Pod> pods(int count, long seed) {
    Random random = new Random(seed);
    List<Pod> pods = new ArrayList<>(count);
    int[] perKind = new int[KINDS.size()];
    int assigned = 0;
    for (int i = 0; i < KINDS.size(); i++) {
      perKind[i] = (int) Math.floor(KINDS.get(i).share() * count);
      assigned += perKind[i];
    }
    // Keep at least one GPU, arm64 and spot pod in any workload big enough to hold them.
    for (int i = KINDS.size() - 1; i >= 0 && assigned < count; i--) {
      if (perKind[i] == 0) {
        perKind[i]++;
        assigned++;
      }
    }
    perKind[0] += count - assigned;
    // Pod names are unique, as a ReplicaSet controller's are (at 20,000 pods, 5 random characters
    // collide a few times; redrawing leaves smaller workloads exactly as before).
    java.util.Set<String> names = new java.util.HashSet<>();
    for (int k = 0; k < KINDS.size(); k++) {
      Kind kind = KINDS.get(k);
      String rs = kind.app() + "-" + Integer.toHexString(random.nextInt(0xfffff) | 0x10000);
      for (int i = 0; i < perKind[k]; i++) {
        String name = rs + "-" + suffix(random);
        while (!names.add(name)) {
          name = rs + "-" + suffix(random);
        }
        pods.add(pod(kind, rs, name));
      }
    }
    return pods;
  }

  private static String suffix(Random random) {
    String chars = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      sb.append(chars.charAt(random.nextInt(chars.length())));
    }
    return sb.toString();
  }

  static Pod pod(Kind kind, String replicaSet, String name) {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    requests.put("cpu", new Quantity(kind.cpu()));
    requests.put("memory", new Quantity(kind.memory()));
    Map<String, Quantity> limits = new LinkedHashMap<>();
    kind.extra()
        .forEach(
            (k, v) -> {
              requests.put(k, new Quantity(v));
              limits.put(k, new Quantity(v));
            });
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NAMESPACE)
        .addToLabels("app", kind.app())
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion("apps/v1")
                .withKind("ReplicaSet")
                .withName(replicaSet)
                .withUid("rs-" + replicaSet)
                .withController(true)
                .build())
        .endMetadata()
        .withNewSpec()
        .withNodeSelector(kind.nodeSelector().isEmpty() ? null : kind.nodeSelector())
        .withTolerations(kind.tolerations())
        .addNewContainer()
        .withName(kind.app())
        .withImage("registry.k8s.io/pause:3.10")
        .withNewResources()
        .withRequests(requests)
        .withLimits(limits.isEmpty() ? null : limits)
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }
}
