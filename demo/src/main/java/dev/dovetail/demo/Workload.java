package dev.dovetail.demo;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
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

  /** {@code count} pods, deterministic for a seed: {@link #stream} collected into a list. */
  public static List<Pod> pods(int count, long seed) {
    List<Pod> pods = new ArrayList<>(count);
    stream(count, seed).forEach(pods::add);
    return pods;
  }

  /**
   * The same pods as {@link #pods}, in the same order, built one at a time as they are iterated
   * (each iteration starts again from the seed): a caller that creates them one by one holds none
   * of them. Building 50,000 up front held ~200 MiB of fabric8 objects for the whole of the
   * provisioning benchmark, which had to fit in a 512 MiB heap with the controllers' cache.
   */
  public static Iterable<Pod> stream(int count, long seed) {
    return () -> new Generator(count, seed);
  }

  /** In which order a workload's pods are created. */
  public enum Arrival {
    /** Kind after kind, as {@link #stream}: seven Deployments scaled up one after another. */
    BY_KIND("by-kind"),
    /**
     * The kinds side by side, each at its share of the pods so far: seven Deployments scaled up at
     * once, whose ReplicaSet controllers create their pods concurrently.
     */
    MIXED("mixed");

    private final String label;

    Arrival(String label) {
      this.label = label;
    }

    /** How the command line and the cluster's process name it. */
    public String label() {
      return label;
    }

    public static Arrival parse(String label) {
      for (Arrival a : values()) {
        if (a.label.equals(label)) {
          return a;
        }
      }
      throw new IllegalArgumentException("--arrival must be by-kind or mixed, got '" + label + "'");
    }
  }

  /**
   * The pods of {@link #stream}, the same ones, in the order {@code arrival} says; built one at a
   * time as they are iterated either way.
   */
  public static Iterable<Pod> stream(int count, long seed, Arrival arrival) {
    return arrival == Arrival.MIXED ? () -> new Mixed(count, seed) : stream(count, seed);
  }

  /** How many pods of each kind a workload of {@code count} holds (in the order of KINDS). */
  private static int[] perKind(int count) {
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
    return perKind;
  }

  /**
   * Draws the pods kind after kind, each kind's ReplicaSet name then its pods' names, from one
   * Random: the draws, and so the pods, are those of the eager loop this replaced.
   */
  private static final class Generator implements Iterator<Pod> {
    private final Random random;
    private final int[] perKind;

    /**
     * The suffixes drawn for the current kind. Pod names are unique, as a ReplicaSet controller's
     * are (at 20,000 pods, 5 random characters collide a few times; redrawing leaves smaller
     * workloads exactly as before). Names of different kinds cannot collide (the ReplicaSet name
     * starts with the app's, and no app name is a prefix of another's), so the set is per kind; a
     * suffix is a number below 27^5, so a bit set of fixed size (1.8 MB) holds it, not a String per
     * pod.
     */
    private final BitSet suffixes = new BitSet(SUFFIX_SPACE);

    private int kind = -1;
    private int leftInKind;
    private String replicaSet;

    Generator(int count, long seed) {
      this.random = new Random(seed);
      this.perKind = perKind(count);
    }

    @Override
    public boolean hasNext() {
      while (leftInKind == 0) {
        if (kind + 1 >= KINDS.size()) {
          return false;
        }
        kind++;
        Kind k = KINDS.get(kind);
        // Drawn even for a kind with no pods, as the eager loop did: later draws stay the same.
        replicaSet = k.app() + "-" + Integer.toHexString(random.nextInt(0xfffff) | 0x10000);
        leftInKind = perKind[kind];
        suffixes.clear();
      }
      return true;
    }

    @Override
    public Pod next() {
      int suffix = nextSuffix(); // first: it moves on to the next kind when this one is done
      return pod(KINDS.get(kind), replicaSet, replicaSet + "-" + suffixText(suffix));
    }

    /** Draws the next pod without building it. */
    void skip() {
      nextSuffix();
    }

    private int nextSuffix() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int suffix = suffix(random);
      while (suffixes.get(suffix)) {
        suffix = suffix(random);
      }
      suffixes.set(suffix);
      leftInKind--;
      return suffix;
    }
  }

  /**
   * {@link Arrival#MIXED}: one {@link Generator} per kind, advanced (without building pods) to
   * where its kind starts, so each kind's pods are the ones {@link #stream} makes; next comes the
   * kind furthest behind its share (the lowest {@code (made + 1/2) / its pods}), first kind first
   * on a tie.
   */
  private static final class Mixed implements Iterator<Pod> {
    private final Generator[] kinds;
    private final int[] total;
    private final int[] made;

    Mixed(int count, long seed) {
      total = perKind(count);
      made = new int[total.length];
      kinds = new Generator[total.length];
      int before = 0;
      for (int k = 0; k < total.length; k++) {
        Generator g = new Generator(count, seed);
        for (int i = 0; i < before; i++) {
          g.skip();
        }
        kinds[k] = g;
        before += total[k];
      }
    }

    @Override
    public boolean hasNext() {
      for (int k = 0; k < total.length; k++) {
        if (made[k] < total[k]) {
          return true;
        }
      }
      return false;
    }

    @Override
    public Pod next() {
      int next = -1;
      for (int k = 0; k < total.length; k++) {
        if (made[k] < total[k]
            && (next < 0
                || (made[k] + 0.5) * total[next] < (made[next] + 0.5) * (double) total[k])) {
          next = k;
        }
      }
      if (next < 0) {
        throw new NoSuchElementException();
      }
      made[next]++;
      return kinds[next].next();
    }
  }

  private static final String SUFFIX_CHARS = "bcdfghjklmnpqrstvwxz2456789";
  private static final int SUFFIX_SPACE = 27 * 27 * 27 * 27 * 27;

  /** Five random characters, as a number in base 27 (the first character the most significant). */
  private static int suffix(Random random) {
    int n = 0;
    for (int i = 0; i < 5; i++) {
      n = n * SUFFIX_CHARS.length() + random.nextInt(SUFFIX_CHARS.length());
    }
    return n;
  }

  private static String suffixText(int n) {
    char[] chars = new char[5];
    for (int i = 4; i >= 0; i--) {
      chars[i] = SUFFIX_CHARS.charAt(n % SUFFIX_CHARS.length());
      n /= SUFFIX_CHARS.length();
    }
    return new String(chars);
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
