// Every Karpenter metric the dashboards read is registered and fed here (the gauges read from the
// cluster state in ClusterGauges), so a Karpenter user finds each metric name in one hop.
package dev.dovetail.metrics;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.controllers.nodeclaim.lifecycle.NodeClaimLifecycleReconciler.LifecycleListener;
import dev.dovetail.controllers.provisioning.Provisioner;
import dev.dovetail.controllers.provisioning.Provisioner.ProvisioningListener;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.scheduling.SchedulingResult;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Dovetail's Prometheus metrics, under Karpenter's names where the meaning is the same so that
 * existing dashboards keep working, plus {@code dovetail_nodepool_cost_per_hour}. Counters move as
 * controllers act (this class listens to them); gauges are recomputed from cluster state by {@link
 * #refresh}, which the caller runs periodically.
 */
public final class Metrics
    implements ProvisioningListener, LifecycleListener, dev.dovetail.controllers.ControllerErrors {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer schedulingDuration;
  private final AtomicInteger queueDepth = new AtomicInteger();
  private final AtomicInteger unschedulable = new AtomicInteger();
  private final ClusterGauges clusterGauges;
  private final AtomicInteger clusterNodes = new AtomicInteger();
  private final AtomicInteger clusterSynced = new AtomicInteger();
  private final Timer podStartup;
  private final PodStartups podStartups = new PodStartups();
  private final MultiGauge allowedDisruptions;
  private final ProviderMetrics providerMetrics;

  public Metrics() {
    this(System::nanoTime);
  }

  /** With the time source the once-a-minute refresh is counted on (tests move it). */
  Metrics(java.util.function.LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    schedulingDuration =
        Timer.builder("karpenter.scheduler.scheduling.duration")
            .description(
                "Duration of scheduling simulations used for deprovisioning and provisioning")
            .tag("controller", "provisioner")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(1))
            .register(registry);
    registry.gauge(
        "karpenter.scheduler.queue.depth", Tags.of("controller", "provisioner"), queueDepth);
    registry.gauge(
        "karpenter.scheduler.unschedulable.pods.count",
        Tags.of("controller", "provisioner"),
        unschedulable);
    clusterGauges = new ClusterGauges(registry, podStartups);
    registry.gauge("karpenter.cluster.state.node.count", Tags.empty(), clusterNodes);
    registry.gauge("karpenter.cluster.state.synced", Tags.empty(), clusterSynced);
    podStartup =
        Timer.builder("karpenter.pods.startup.duration")
            .description("The time from pod creation until the pod is running")
            .publishPercentiles(0.0, 0.5, 0.9, 0.99, 1.0)
            .register(registry);
    allowedDisruptions =
        MultiGauge.builder("karpenter.nodepools.allowed.disruptions")
            .description(
                "The number of nodes for a given NodePool that can be concurrently disrupting"
                    + " at a point in time, by reason (budgets only)")
            .register(registry);
    // Core names a provider may not reuse: every meter registered above and the counters below.
    java.util.Set<String> own = new java.util.HashSet<>();
    registry.getMeters().forEach(m -> own.add(underscored(m.getId().getName())));
    for (String counter :
        List.of(
            "karpenter.nodeclaims.created",
            "karpenter.nodeclaims.launched",
            "karpenter.nodes.created",
            "karpenter.nodeclaims.terminated",
            "karpenter.nodes.terminated",
            "karpenter.nodes.drained",
            "karpenter.nodes.eviction.requests",
            "karpenter.nodes.termination.duration",
            "karpenter.interruption.received.messages",
            "karpenter.interruption.actions.performed",
            "karpenter.nodeclaims.disrupted",
            "karpenter.voluntary.disruption.decisions",
            "dovetail.controller.errors",
            ObjectRows.PODS_STATE,
            ObjectRows.NODES_ALLOCATABLE)) {
      own.add(underscored(counter));
    }
    providerMetrics = new ProviderMetrics(registry, own);
  }

  private static String underscored(String name) {
    return name.replace('.', '_');
  }

  /**
   * Publishes the provider's own metrics ({@code CloudProvider.metrics()}); a provider failure
   * skips this poll.
   */
  public void refreshProvider(dev.dovetail.cloudprovider.CloudProvider provider) {
    providerMetrics.publish(provider.metrics());
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void solved(SchedulingResult result, int pods, long nanos) {
    schedulingDuration.record(Duration.ofNanos(nanos));
    unschedulable.set(result.unschedulable().size());
  }

  @Override
  public void nodeClaimCreated(NodeClaim claim, NewNodeClaim plan) {
    Counter.builder("karpenter.nodeclaims.created")
        .description("Number of nodeclaims created")
        .tag("nodepool", plan.nodePool())
        .tag("reason", "provisioning")
        .register(registry)
        .increment();
  }

  @Override
  public void launched(NodeClaim claim, Instance instance) {
    Counter.builder("karpenter.nodeclaims.launched")
        .description("Number of nodeclaims launched")
        .tag("nodepool", nodePool(claim))
        .tag("capacity_type", instance.capacityType())
        .register(registry)
        .increment();
  }

  @Override
  public void registered(NodeClaim claim, Node node) {
    Counter.builder("karpenter.nodes.created")
        .description("Number of nodes created")
        .tag("nodepool", nodePool(claim))
        .register(registry)
        .increment();
  }

  @Override
  public void terminated(NodeClaim claim) {
    Counter.builder("karpenter.nodeclaims.terminated")
        .description("Number of nodeclaims terminated")
        .tag("nodepool", nodePool(claim))
        .register(registry)
        .increment();
    if (claim.getStatus() != null && claim.getStatus().getNodeName() != null) {
      Counter.builder("karpenter.nodes.terminated")
          .description("Number of nodes terminated")
          .tag("nodepool", nodePool(claim))
          .register(registry)
          .increment();
    }
  }

  @Override
  public void nodeDrained(String nodePool) {
    Counter.builder("karpenter.nodes.drained")
        .description("The number of nodes drained by Karpenter")
        .tag("nodepool", nodePool)
        .register(registry)
        .increment();
  }

  @Override
  public void evictionRequested(int code) {
    Counter.builder("karpenter.nodes.eviction.requests")
        .description("The number of eviction requests by response code")
        .tag("code", Integer.toString(code))
        .register(registry)
        .increment();
  }

  @Override
  public void nodeTerminated(String nodePool, Duration took) {
    Timer.builder("karpenter.nodes.termination.duration")
        .description(
            "The time taken between a node's deletion request and the removal of its finalizer")
        .tag("nodepool", nodePool)
        .publishPercentiles(0.0, 0.5, 0.9, 0.99, 1.0)
        .register(registry)
        .record(took.isNegative() ? Duration.ZERO : took);
  }

  /**
   * A pod seen by the cluster state (added or updated): the first time it is seen running, its
   * startup time goes into {@code karpenter_pods_startup_duration_seconds}.
   */
  public void podUpdated(Pod pod, java.time.Instant now) {
    podStartups.startup(pod, now).ifPresent(podStartup::record);
  }

  /**
   * {@code karpenter_nodepools_allowed_disruptions{nodepool, reason}} from a disruption pass's
   * budget computation: every row replaces the previous pass's.
   */
  public void allowedDisruptions(Map<List<String>, Integer> byNodePoolAndReason) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    byNodePoolAndReason.forEach(
        (k, v) ->
            rows.add(MultiGauge.Row.of(Tags.of("nodepool", k.get(0), "reason", k.get(1)), v)));
    allowedDisruptions.register(rows, true);
  }

  /**
   * A failure a controller worked around (a decision skipped for a pass, a status kept): {@code
   * dovetail_controller_errors_total{controller, reason}}. Upstream has no single name for these.
   */
  @Override
  public void error(String controller, String reason) {
    Counter.builder("dovetail.controller.errors")
        .description("Failures a controller worked around by skipping a decision for one pass")
        .tag("controller", controller)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /** Karpenter's interruption metrics, as far as the core sees the events. */
  public dev.dovetail.controllers.interruption.InterruptionController.Observer interruptions() {
    return new dev.dovetail.controllers.interruption.InterruptionController.Observer() {
      @Override
      public void received(dev.dovetail.cloudprovider.InterruptionEvent.Kind kind) {
        Counter.builder("karpenter.interruption.received.messages")
            .description("Count of interruption events the provider handed to the core")
            .tag("message_type", messageType(kind))
            .register(registry)
            .increment();
      }

      @Override
      public void unknownInstance(dev.dovetail.cloudprovider.InterruptionEvent.Kind kind) {
        error("interruption", "UnknownInstance");
      }

      @Override
      public void actionPerformed(String action) {
        Counter.builder("karpenter.interruption.actions.performed")
            .description("Number of notification actions performed")
            .tag("action_type", action)
            .register(registry)
            .increment();
      }
    };
  }

  private static String messageType(dev.dovetail.cloudprovider.InterruptionEvent.Kind kind) {
    return switch (kind) {
      case SPOT_INTERRUPTION -> "spot_interrupted";
      case REBALANCE_RECOMMENDATION -> "rebalance_recommendation";
      case SCHEDULED_MAINTENANCE -> "scheduled_change";
      case INSTANCE_STOPPING -> "instance_stopped";
      case INSTANCE_TERMINATING -> "instance_terminated";
    };
  }

  @Override
  public void nodePoolSkipped(String nodePool, String reason) {
    error("provisioner", reason);
  }

  /** A NodeClaim chosen for disruption: {@code karpenter_nodeclaims_disrupted_total}. */
  public void nodeClaimDisrupted(String reason, String nodePool, String capacityType) {
    Counter.builder("karpenter.nodeclaims.disrupted")
        .description("Number of NodeClaims disrupted, by reason")
        .tag("reason", reason)
        .tag("nodepool", nodePool == null ? "" : nodePool)
        .tag("capacity_type", capacityType == null ? "" : capacityType)
        .register(registry)
        .increment();
  }

  public void disruptionDecision(String decision, String reason, String consolidationType) {
    Counter.builder("karpenter.voluntary.disruption.decisions")
        .description("Number of disruption decisions performed")
        .tag("decision", decision)
        .tag("reason", reason)
        .tag("consolidation_type", consolidationType)
        .register(registry)
        .increment();
  }

  private static String nodePool(NodeClaim claim) {
    Map<String, String> labels = claim.getMetadata().getLabels();
    String pool = labels == null ? null : labels.get(WellKnownLabels.NODE_POOL);
    return pool == null ? "" : pool;
  }

  /** What the gauges are read from: the running controllers (the operator implements it). */
  public interface Source {
    ClusterState state();

    CloudProviderFacade cloud();

    Provisioner provisioner();
  }

  /**
   * Refreshes the gauges from the running controllers every few seconds, until the returned loop is
   * closed.
   */
  public dev.dovetail.controllers.PeriodicController startRefreshing(Source source) {
    observe(source.state());
    source.state().addListener(obj -> changed());
    return dev.dovetail.controllers.PeriodicController.every(
            java.time.Duration.ofSeconds(5),
            "metrics-refresh",
            () -> {
              try {
                refreshIfChanged(source.state(), source.cloud(), source.provisioner());
              } finally {
                refreshProvider(source.cloud().provider());
              }
            })
        .withErrors(this)
        .start();
  }

  /**
   * The gauges that walk every pod and node are recomputed only when the cluster state changed
   * since the last refresh (counted from its events, see {@link #startRefreshing}); what changes
   * without an event (prices, nominations lapsing) at least every {@link #FULL_REFRESH}, without
   * walking the pods: an idle cluster of 40,000 pods costs no per-pod work.
   */
  static final java.time.Duration FULL_REFRESH = java.time.Duration.ofMinutes(1);

  private final java.util.function.LongSupplier nanoTime;
  private final java.util.concurrent.atomic.AtomicLong changes =
      new java.util.concurrent.atomic.AtomicLong();
  private long refreshedAtChange = -1;
  private long refreshedAtNanos;
  private long fullRefreshes;
  private long timedRefreshes;

  /**
   * One periodic refresh: everything if the state changed, only what moves with time if a minute
   * passed without a change, else nothing.
   */
  public synchronized void refreshIfChanged(
      ClusterState state, CloudProviderFacade cloud, Provisioner provisioner) {
    long seen = changes.get();
    long now = nanoTime.getAsLong();
    if (seen != refreshedAtChange) {
      refresh(state, cloud, provisioner);
      refreshedAtChange = seen;
      fullRefreshes++;
    } else if (now - refreshedAtNanos >= FULL_REFRESH.toNanos()) {
      refreshTimed(state, cloud, provisioner);
      timedRefreshes++;
    } else {
      clusterSynced.set(state.synced() ? 1 : 0);
      return;
    }
    refreshedAtNanos = now;
  }

  /** How many periodic refreshes recomputed every gauge (walked every pod and node). */
  public synchronized long fullRefreshes() {
    return fullRefreshes;
  }

  /** How many periodic refreshes recomputed only what moves without a cluster event. */
  public synchronized long timedRefreshes() {
    return timedRefreshes;
  }

  /** From now on the rows per pod and per node are read from this state when scraped. */
  public void observe(ClusterState state) {
    clusterGauges.observe(state);
  }

  /** Counts a change of the cluster state (what {@link #startRefreshing} listens for). */
  void changed() {
    changes.incrementAndGet();
  }

  /** Recomputes the gauges from the cluster state. */
  public void refresh(ClusterState state, CloudProviderFacade cloud, Provisioner provisioner) {
    clusterNodes.set(state.nodes().size());
    clusterGauges.objects(state);
    refreshTimed(state, cloud, provisioner);
  }

  /** The gauges that move without a cluster event: queue, prices, the provisioner's verdicts. */
  private void refreshTimed(
      ClusterState state, CloudProviderFacade cloud, Provisioner provisioner) {
    clusterSynced.set(state.synced() ? 1 : 0);
    queueDepth.set(state.provisionablePods().size());
    unschedulable.set(provisioner.unschedulableReasons().size());
    clusterGauges.pools(state, cloud);
  }
}
