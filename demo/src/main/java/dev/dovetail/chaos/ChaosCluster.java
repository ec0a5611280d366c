package dev.dovetail.chaos;

import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apiserver.KubeApiServer;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.controllers.disruption.DisruptionController;
import dev.dovetail.demo.Binder;
import dev.dovetail.demo.DemoCluster;
import dev.dovetail.demo.Rescheduler;
import dev.dovetail.operator.DovetailOperator;
import dev.dovetail.operator.FeatureGates;
import dev.dovetail.operator.Settings;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The world a chaos run (or a focused fault test) acts on: the embedded API server, one cloud
 * behind the fault decorator, the real controllers ({@link DovetailOperator}) and the demo's
 * stand-in scheduler and ReplicaSet controller. The operator can be killed and replaced on the same
 * API server and cloud; invariants are measured at any time.
 */
final class ChaosCluster implements AutoCloseable {

  /**
   * How the controllers are configured: chaos compresses time (a short registration TTL, garbage
   * collection every few seconds, repair after seconds of NotReady) so faults resolve inside a run.
   * Tests turn one handling off through these to show its fault is then caught.
   */
  record Options(
      Duration registrationTtl,
      Duration launchTimeout,
      Duration gcInterval,
      Duration gcGrace,
      boolean nodeRepair,
      Duration repairToleration) {
    static final Options CHAOS =
        new Options(
            Duration.ofSeconds(10),
            Duration.ofMinutes(5),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            true,
            Duration.ofSeconds(3));

    Options withRegistrationTtl(Duration ttl) {
      return new Options(ttl, launchTimeout, gcInterval, gcGrace, nodeRepair, repairToleration);
    }

    Options withLaunchTimeout(Duration t) {
      return new Options(registrationTtl, t, gcInterval, gcGrace, nodeRepair, repairToleration);
    }

    Options withGcInterval(Duration interval) {
      return new Options(
          registrationTtl, launchTimeout, interval, gcGrace, nodeRepair, repairToleration);
    }

    Options withNodeRepair(boolean on) {
      return new Options(registrationTtl, launchTimeout, gcInterval, gcGrace, on, repairToleration);
    }

    Settings settings() {
      return Settings.defaults()
          .withClusterName("chaos")
          .withLifecycle(registrationTtl, launchTimeout)
          // compressed like the other timers: an interrupted or refused offering is out of
          // scheduling for 15 s (upstream 3 min), so both runs can use it again before their
          // cost is compared instead of the faulted run alone paying for a dearer one
          .withUnavailableOfferingsTtl(UNAVAILABLE_OFFERINGS_TTL)
          // SpotToSpotConsolidation: a spot node bought on a dearer offering while the cheapest
          // was interrupted may be replaced by a cheaper spot node once it is back; with the
          // gate off (upstream's default) it is kept for good, and the faulted run stays dearer
          // than its clean run by design rather than by a fault's lasting damage
          .withFeatureGates(
              FeatureGates.parse("NodeRepair=" + nodeRepair + ",SpotToSpotConsolidation=true"));
    }
  }

  private static final Duration UNAVAILABLE_OFFERINGS_TTL = Duration.ofSeconds(15);

  private final Clock clock = Clock.systemUTC();
  private final KubeApiServer api;
  private final KubernetesClient client;
  private final ChaosCloud cloud;
  private final Options options;
  private final Map<String, String> providerSettings;
  private DovetailOperator operator;
  private Binder binder;
  private Rescheduler rescheduler;

  /**
   * Starts the API server, applies the NodeClass and {@link ChaosNodePools}, starts the operator.
   */
  ChaosCluster(
      CloudProvider provider, long seed, Options options, Map<String, String> providerSettings) {
    this.options = options;
    this.providerSettings = Map.copyOf(providerSettings);
    this.cloud = new ChaosCloud(provider, seed);
    cloud.repairToleration(options.repairToleration());
    this.api = KubeApiServer.start();
    this.client = api.client();
    try {
      DemoCluster.registerNodeClasses(api, provider);
      NodeClassReference nodeClass = DemoCluster.applyNodeClass(client, provider);
      for (NodePool pool : ChaosNodePools.all(nodeClass)) {
        DemoCluster.create(client, pool);
      }
      startOperator();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Creates the workload's pods and starts the ReplicaSet stand-in that keeps them desired. */
  ChaosCluster run(List<Pod> workload) {
    for (Pod pod : workload) {
      DemoCluster.create(client, pod);
    }
    rescheduler = new Rescheduler(client, workload).start();
    return this;
  }

  /**
   * Kills the operator and its scheduler without cleanup and starts new ones on the same API.
   * Returns how many starts that took (each one a restart of the process).
   */
  int restart() throws InterruptedException {
    binder.close();
    operator.close(); // no drain, no cleanup: in-flight work is simply abandoned
    // A new operator that fails to start (its first lists hit the API faults of the moment) exits,
    // and its Deployment starts it again after a back-off, as kubelet would: the run goes on with
    // the next try instead of being thrown away as the harness's failure.
    for (int attempt = 1; ; attempt++) {
      try {
        startOperator();
        return attempt;
      } catch (RuntimeException e) {
        if (operator != null) {
          operator.close();
        }
        if (attempt == MAX_START_ATTEMPTS) {
          throw e;
        }
        LOG.info("operator failed to start ({}); starting it again", e.toString());
        Thread.sleep(Math.min(10_000L, 500L << attempt));
      }
    }
  }

  private static final int MAX_START_ATTEMPTS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(ChaosCluster.class);

  /**
   * The node's kubelet stops posting status: Ready turns False (as the node lifecycle controller
   * marks it). Returns false when the node is gone or the API refused the change.
   */
  boolean notReady(String nodeName) {
    try {
      client
          .nodes()
          .withName(nodeName)
          .editStatus(
              n -> {
                List<NodeCondition> conditions = n.getStatus().getConditions();
                conditions.removeIf(c -> "Ready".equals(c.getType()));
                conditions.add(
                    new NodeCondition(
                        clock.instant().toString(),
                        clock.instant().toString(),
                        "chaos: the kubelet stopped posting node status",
                        "NodeStatusUnknown",
                        "False",
                        "Ready"));
                return n;
              });
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  ChaosInvariants invariants() {
    return ChaosInvariants.measure(operator, rescheduler.desired(), cloud.listQuietly());
  }

  /** Polls until the invariants all hold four times in a row (2 s), or the timeout. */
  boolean settle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int quiet = 0;
    while (System.nanoTime() < deadline) {
      Thread.sleep(500);
      quiet = invariants().settled() ? quiet + 1 : 0;
      if (quiet >= 4) {
        return true;
      }
    }
    return false;
  }

  /**
   * Polls until the settled invariants hold and consolidation has nothing left to do (its last pass
   * planned nothing, no command waiting) four times in a row (2 s), or the timeout.
   */
  boolean converge(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int quiet = 0;
    while (System.nanoTime() < deadline) {
      Thread.sleep(500);
      quiet = invariants().settled() && operator.disruption().converged() ? quiet + 1 : 0;
      if (quiet >= 4) {
        return true;
      }
    }
    return false;
  }

  /** Cost per hour of the NodeClaims now. */
  double costPerHour() {
    double cost = 0;
    for (var claim : operator.state().nodeClaims()) {
      cost += operator.cloud().price(claim);
    }
    return cost;
  }

  /**
   * The NodeClaims now as instance-type/capacity-type counts: what a cost difference is made of.
   */
  SortedMap<String, Integer> composition() {
    SortedMap<String, Integer> m = new TreeMap<>();
    for (var claim : operator.state().nodeClaims()) {
      Map<String, String> labels = claim.getMetadata().getLabels();
      String type = labels == null ? "?" : labels.getOrDefault(WellKnownLabels.INSTANCE_TYPE, "?");
      String ct = labels == null ? "?" : labels.getOrDefault(WellKnownLabels.CAPACITY_TYPE, "?");
      m.merge(type + "/" + ct, 1, Integer::sum);
    }
    return m;
  }

  /**
   * One line per NodeClaim (instance and capacity type, NodePool, price, its node's pods counted by
   * app), cheapest first: when a faulted run ends dearer than its clean run, what the extra nodes
   * hold is what says whether consolidation missed something.
   */
  List<String> nodeDetail() {
    List<String> lines = new ArrayList<>();
    Map<String, String> why = new HashMap<>();
    try {
      var events =
          new ArrayList<>(client.events().v1().events().inAnyNamespace().list().getItems());
      events.sort(
          Comparator.comparing(
              e -> String.valueOf(e.getEventTime() == null ? "" : e.getEventTime().getTime())));
      for (var e : events) {
        if ("Unconsolidatable".equals(e.getReason()) && e.getRegarding() != null) {
          why.put(e.getRegarding().getName(), e.getNote());
        }
      }
    } catch (RuntimeException e) {
      why.clear(); // the reasons are a diagnosis only; the nodes are still listed
    }
    var claims = new ArrayList<>(operator.state().nodeClaims());
    claims.sort(Comparator.comparingDouble(c -> operator.cloud().price(c)));
    for (var claim : claims) {
      Map<String, String> labels =
          claim.getMetadata().getLabels() == null ? Map.of() : claim.getMetadata().getLabels();
      String nodeName = claim.getStatus() == null ? null : claim.getStatus().getNodeName();
      SortedMap<String, Integer> apps = new TreeMap<>();
      if (nodeName != null) {
        for (Pod p : operator.state().podsOn(nodeName)) {
          Map<String, String> pl = p.getMetadata().getLabels();
          apps.merge(pl == null ? "?" : pl.getOrDefault("app", "?"), 1, Integer::sum);
        }
      }
      lines.add(
          String.format(
              "%s %s/%s pool=%s $%.4f/h pods=%s%s",
              claim.getMetadata().getName(),
              labels.getOrDefault(WellKnownLabels.INSTANCE_TYPE, "?"),
              labels.getOrDefault(WellKnownLabels.CAPACITY_TYPE, "?"),
              labels.getOrDefault(WellKnownLabels.NODE_POOL, "?"),
              operator.cloud().price(claim),
              apps,
              why.containsKey(claim.getMetadata().getName())
                  ? " unconsolidatable: " + why.get(claim.getMetadata().getName())
                  : ""));
    }
    return lines;
  }

  KubeApiServer api() {
    return api;
  }

  KubernetesClient client() {
    return client;
  }

  ChaosCloud cloud() {
    return cloud;
  }

  DovetailOperator operator() {
    return operator;
  }

  private void startOperator() {
    // Assigned before it starts, so a start that throws leaves the half-started operator where
    // restart() and close() stop it.
    operator =
        new DovetailOperator(
                client,
                cloud,
                clock,
                options.settings(),
                providerSettings,
                DovetailOperator.Listeners.NONE)
            .withDisruptionOptions(
                DisruptionController.Options.DEFAULT
                    .withPollInterval(Duration.ofSeconds(1))
                    .withValidationDelay(Duration.ofSeconds(2)))
            .withGarbageCollection(options.gcInterval(), options.gcGrace());
    operator.start();
    binder = new Binder(client, operator.state(), clock).start();
  }

  @Override
  public void close() {
    if (rescheduler != null) {
      rescheduler.close();
    }
    if (binder != null) {
      binder.close();
    }
    if (operator != null) {
      operator.close();
    }
    cloud.shutdown();
    client.close();
    api.close();
  }
}
