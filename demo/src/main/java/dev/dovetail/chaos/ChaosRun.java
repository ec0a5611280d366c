package dev.dovetail.chaos;

import dev.dovetail.apis.v1.Karpenter.Conditions;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apiserver.Faults;
import dev.dovetail.apiserver.KubeApiServer;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.controllers.disruption.DisruptionController;
import dev.dovetail.demo.Binder;
import dev.dovetail.demo.DemoNodePools;
import dev.dovetail.demo.Rescheduler;
import dev.dovetail.demo.Workload;
import dev.dovetail.operator.DovetailOperator;
import dev.dovetail.operator.Settings;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.PodUtils;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One chaos run: the embedded API server, one cloud, the real controllers and the demo's stand-in
 * scheduler and ReplicaSet controller; a seeded schedule of faults (API errors, latency, dropped
 * watches, cloud API errors, spot interruptions, the operator killed and a new one started) for a
 * few seconds, then the faults stop, the run settles and the invariants are measured.
 */
final class ChaosRun {
  /** What one run's settle phase ended with. */
  record Result(
      long faultsInjected,
      int restarts,
      int podsLost,
      int leakedInstances,
      int duplicateInstances,
      int stuckNodeClaims,
      int unexplainedPending,
      double costPerHour) {}

  private final Supplier<CloudProvider> providers;
  private final int pods;
  private final long seed;
  private final Duration faultWindow;
  private final Duration settleTimeout;
  private final PrintStream out;
  private final Clock clock = Clock.systemUTC();

  ChaosRun(
      Supplier<CloudProvider> providers,
      int pods,
      long seed,
      Duration faultWindow,
      Duration settleTimeout,
      PrintStream out) {
    this.providers = providers;
    this.pods = pods;
    this.seed = seed;
    this.faultWindow = faultWindow;
    this.settleTimeout = settleTimeout;
    this.out = out;
  }

  /** Runs it; {@code chaos} false is the fault-free run of the same workload (for the cost). */
  Result run(boolean chaos) throws InterruptedException {
    Random random = new Random(seed);
    CloudProvider provider = providers.get();
    ChaosCloud cloud = new ChaosCloud(provider, seed);
    try (KubeApiServer api = KubeApiServer.start();
        KubernetesClient client = api.client()) {
      registerNodeClasses(api, provider);
      NodeClassReference nodeClass = applyNodeClass(client, cloud);
      for (NodePool pool : DemoNodePools.all(nodeClass)) {
        client.resource(pool).create();
      }
      List<Pod> workload = Workload.pods(pods, seed);
      Map<String, String> providerSettings = new HashMap<>();
      providerSettings.put("catalog", "aws");
      providerSettings.put("launchLatency", "500ms");
      providerSettings.put("startupTaintDelay", "200ms");
      providerSettings.put("interruptionNotice", "2s");
      providerSettings.put("seed", Long.toString(seed));
      if (chaos) {
        providerSettings.put("iceOfferings", iceOfferings(random));
      }
      int restarts = 0;
      DovetailOperator operator = startOperator(client, cloud, providerSettings);
      Binder binder = new Binder(client, operator.state(), clock).start();
      for (Pod pod : workload) {
        client.resource(pod).create();
      }
      Rescheduler rescheduler = new Rescheduler(client, workload).start();
      try {
        if (chaos) {
          Faults faults = api.faults().seed(seed);
          long end = System.nanoTime() + faultWindow.toNanos();
          // the kill lands at a random point of the window: during launches, binds or deletes
          // (within the window less a second, so the loop's half-second steps always reach it)
          long killAt =
              System.nanoTime()
                  + (long)
                      (Math.max(0, faultWindow.toNanos() - 1_000_000_000L) * random.nextDouble());
          boolean killed = false;
          while (System.nanoTime() < end) {
            faults.clear();
            applyApiFaults(faults, random);
            cloud.errorRate(random.nextDouble() * 0.2);
            if (random.nextDouble() < 0.3) {
              cloud.interruptSpot(random);
            }
            if (!killed
                && (System.nanoTime() >= killAt || System.nanoTime() + 500_000_000L >= end)) {
              killed = true;
              binder.close();
              operator.close(); // no drain, no cleanup: in-flight work is simply abandoned
              operator = startOperator(client, cloud, providerSettings);
              binder = new Binder(client, operator.state(), clock).start();
              restarts++;
            }
            Thread.sleep(500);
          }
          faults.clear();
          cloud.errorRate(0);
        }
        boolean settled = settle(operator, rescheduler, cloud);
        Result r = measure(operator, rescheduler, cloud, api, restarts);
        out.printf(
            "  run seed %d%s: %s%s%n",
            seed, chaos ? "" : " (clean)", r, settled ? "" : " [timeout]");
        return r;
      } finally {
        rescheduler.close();
        binder.close();
        operator.close();
        cloud.shutdown();
      }
    }
  }

  private static void applyApiFaults(Faults faults, Random random) {
    String[] verbs = {"create", "update", "patch", "delete", "get", "list"};
    String[] kinds = {"nodeclaims", "nodes", "pods", "*"};
    int[] codes = {409, 429, 500};
    faults.error(
        verbs[random.nextInt(verbs.length)],
        kinds[random.nextInt(kinds.length)],
        0.05 + 0.25 * random.nextDouble(),
        codes[random.nextInt(codes.length)]);
    faults.latency(Duration.ofMillis(50 + random.nextInt(250)), 0.1);
    faults.dropWatches(0.3, Duration.ofMillis(500 + random.nextInt(1500)));
  }

  /** A few offerings that always fail with insufficient capacity, chosen by the seed. */
  private static String iceOfferings(Random random) {
    String[] types = {"m5.large", "c5.large", "m6i.large", "r5.large", "c6i.xlarge", "m5.xlarge"};
    String[] zones = {"us-east-1a", "us-east-1b", "us-east-1c", "*"};
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(types[random.nextInt(types.length)])
          .append('/')
          .append(zones[random.nextInt(zones.length)])
          .append("/spot");
    }
    return sb.toString();
  }

  private DovetailOperator startOperator(
      KubernetesClient client, ChaosCloud cloud, Map<String, String> providerSettings) {
    return new DovetailOperator(
            client,
            cloud,
            clock,
            Settings.defaults().withClusterName("chaos"),
            providerSettings,
            DovetailOperator.Listeners.NONE)
        .withDisruptionOptions(
            DisruptionController.Options.DEFAULT
                .withPollInterval(Duration.ofSeconds(1))
                .withValidationDelay(Duration.ofSeconds(2)))
        .start();
  }

  /** Waits until every desired pod is bound and every NodeClaim initialized, or the timeout. */
  private boolean settle(DovetailOperator operator, Rescheduler rescheduler, ChaosCloud cloud)
      throws InterruptedException {
    long deadline = System.nanoTime() + settleTimeout.toNanos();
    int quiet = 0;
    while (System.nanoTime() < deadline) {
      Thread.sleep(500);
      boolean ok =
          lost(operator, rescheduler) == 0
              && stuck(operator) == 0
              && leaked(operator, cloud) == 0
              && pending(operator) == 0;
      quiet = ok ? quiet + 1 : 0;
      if (quiet >= 4) {
        return true;
      }
    }
    return false;
  }

  private Result measure(
      DovetailOperator operator,
      Rescheduler rescheduler,
      ChaosCloud cloud,
      KubeApiServer api,
      int restarts) {
    Map<String, String> reasons = operator.provisioner().unschedulableReasons();
    int unexplained = 0;
    for (Pod p : operator.state().pods()) {
      if (!PodUtils.isBound(p)
          && !PodUtils.isTerminal(p)
          && !reasons.containsKey(ClusterState.podKey(p))) {
        unexplained++;
      }
    }
    double cost = 0;
    for (NodeClaim claim : operator.state().nodeClaims()) {
      cost += operator.cloud().price(claim);
    }
    return new Result(
        api.faults().injected() + cloud.injected(),
        restarts,
        lost(operator, rescheduler),
        leaked(operator, cloud),
        duplicates(cloud),
        stuck(operator),
        unexplained,
        cost);
  }

  /** Desired pods not bound to a Node that exists. */
  private static int lost(DovetailOperator operator, Rescheduler rescheduler) {
    Set<String> nodes = new HashSet<>();
    operator.state().nodes().forEach(n -> nodes.add(n.getMetadata().getName()));
    Set<String> bound = new HashSet<>();
    for (Pod p : operator.state().pods()) {
      if (PodUtils.isBound(p) && nodes.contains(p.getSpec().getNodeName())) {
        bound.add(p.getMetadata().getName());
      }
    }
    int lost = 0;
    for (String name : rescheduler.desired()) {
      if (!bound.contains(name)) {
        lost++;
      }
    }
    return lost;
  }

  private static int pending(DovetailOperator operator) {
    int n = 0;
    for (Pod p : operator.state().pods()) {
      if (!PodUtils.isBound(p) && !PodUtils.isTerminal(p)) {
        n++;
      }
    }
    return n;
  }

  /** Instances whose NodeClaim does not exist (or does not name them). */
  private static int leaked(DovetailOperator operator, ChaosCloud cloud) {
    Set<String> claimed = new HashSet<>();
    for (NodeClaim c : operator.state().nodeClaims()) {
      if (c.getStatus() != null && c.getStatus().getProviderID() != null) {
        claimed.add(c.getStatus().getProviderID());
      }
    }
    int leaked = 0;
    for (Instance i : cloud.listQuietly()) {
      if (!claimed.contains(i.providerId())) {
        leaked++;
      }
    }
    return leaked;
  }

  /** Instances beyond the first for the same NodeClaim. */
  private static int duplicates(ChaosCloud cloud) {
    Map<String, Integer> perClaim = new HashMap<>();
    for (Instance i : cloud.listQuietly()) {
      perClaim.merge(i.nodeClaim(), 1, Integer::sum);
    }
    return perClaim.values().stream().mapToInt(n -> n - 1).sum();
  }

  /** NodeClaims not initialized, or still being deleted, after the run settled. */
  private static int stuck(DovetailOperator operator) {
    int stuck = 0;
    for (NodeClaim c : operator.state().nodeClaims()) {
      var conditions = c.getStatus() == null ? null : c.getStatus().getConditions();
      if (c.getMetadata().getDeletionTimestamp() != null
          || !dev.dovetail.kube.Conditions.isTrue(conditions, Conditions.INITIALIZED)) {
        stuck++;
      }
    }
    return stuck;
  }

  private static void registerNodeClasses(KubeApiServer api, CloudProvider provider) {
    api.registerCrds(provider.getClass().getClassLoader());
    for (NodeClassKind kind : provider.supportedNodeClasses()) {
      api.registerCustomResource(
          kind.group(),
          kind.version(),
          kind.kind(),
          HasMetadata.getPlural(kind.type()),
          io.fabric8.kubernetes.api.model.Namespaced.class.isAssignableFrom(kind.type()));
    }
  }

  private static NodeClassReference applyNodeClass(KubernetesClient client, CloudProvider p) {
    NodeClassKind kind = p.supportedNodeClasses().get(0);
    try {
      HasMetadata nodeClass = kind.type().getDeclaredConstructor().newInstance();
      nodeClass.setMetadata(new ObjectMetaBuilder().withName("default").build());
      client.resource(nodeClass).create();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create a " + kind.kind() + ": " + e, e);
    }
    return new NodeClassReference(kind.group(), kind.kind(), "default");
  }
}
