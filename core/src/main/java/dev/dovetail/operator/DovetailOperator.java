package dev.dovetail.operator;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.UnavailableOfferings;
import dev.dovetail.controllers.ControllerContext;
import dev.dovetail.controllers.Liveness;
import dev.dovetail.controllers.PeriodicController;
import dev.dovetail.controllers.disruption.DisruptionController;
import dev.dovetail.controllers.interruption.InterruptionController;
import dev.dovetail.controllers.node.health.NodeRepairController;
import dev.dovetail.controllers.nodeclaim.lifecycle.NodeClaimLifecycleReconciler;
import dev.dovetail.controllers.nodeclaim.lifecycle.NodeClaimLifecycleReconciler.LifecycleListener;
import dev.dovetail.controllers.nodeclass.NodeClassStatusController;
import dev.dovetail.controllers.provisioning.Provisioner;
import dev.dovetail.controllers.provisioning.Provisioner.ProvisioningListener;
import dev.dovetail.kube.EventRecorder;
import dev.dovetail.kube.KubeNodeRegistrar;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dovetail's controllers wired together over one API connection and one provider: cluster state,
 * provisioning, and the NodeClaim lifecycle (on java-operator-sdk). Used by {@code run}, {@code
 * demo} and the end-to-end tests alike, so what is tested is what runs.
 */
public final class DovetailOperator implements AutoCloseable, dev.dovetail.metrics.Metrics.Source {
  private static final Logger LOG = LoggerFactory.getLogger(DovetailOperator.class);

  private final KubernetesClient client;
  private final CloudProvider provider;
  private final Clock clock;
  private final Settings settings;
  private final Map<String, String> providerSettings;
  private final Listeners listeners;
  private final ControllerObservers observers;
  private ClusterState state;
  private CloudProviderFacade cloud;
  private Provisioner provisioner;
  private Operator operator;
  private DisruptionController disruption;
  private InterruptionController interruption;
  private NodeRepairController repair;
  // every periodic controller, in start order; stopped in reverse
  private final java.util.List<PeriodicController> periodic = new java.util.ArrayList<>();
  private DisruptionController.Options disruptionOptions = DisruptionController.Options.DEFAULT;
  private Duration nodeClassResync = Duration.ofMinutes(1);
  private Duration gcInterval =
      dev.dovetail.controllers.nodeclaim.garbagecollection.GarbageCollector.DEFAULT_INTERVAL;
  private Duration gcGrace =
      dev.dovetail.controllers.nodeclaim.garbagecollection.GarbageCollector.DEFAULT_GRACE;
  private final Liveness liveness = new Liveness();
  private final java.util.List<AutoCloseable> controllers = new java.util.ArrayList<>();
  // autoscaling.karpenter.sh/v1alpha1 (issue 23): null unless --autoscaling
  private dev.dovetail.controllers.autoscaling.AutoscalingControllers autoscaling;
  // how the NodeClaim lifecycle writes status; null: server-side apply (a real API server)
  private dev.dovetail.controllers.nodeclaim.lifecycle.StatusWriter statusWriter;

  /** Observers of what the controllers do. */
  public record Listeners(
      ProvisioningListener provisioning,
      LifecycleListener lifecycle,
      InterruptionListener interruptions) {
    public static final Listeners NONE =
        new Listeners(
            ProvisioningListener.NONE, LifecycleListener.NONE, InterruptionListener.IGNORE);
  }

  public DovetailOperator(
      KubernetesClient client,
      CloudProvider provider,
      Clock clock,
      Settings settings,
      Map<String, String> providerSettings,
      Listeners listeners) {
    this.client = client;
    this.provider = provider;
    this.clock = clock;
    this.settings = settings;
    this.providerSettings = Map.copyOf(providerSettings);
    this.listeners = listeners;
    this.observers = new ControllerObservers(listeners);
  }

  /** Disruption settings (poll interval, validation delay, ...); call before {@link #start}. */
  public DovetailOperator withDisruptionOptions(DisruptionController.Options options) {
    this.disruptionOptions = options;
    return this;
  }

  /**
   * How the NodeClaim lifecycle writes status (default: server-side apply of {@code /status}, the
   * normal path on a real API server); tests on fabric8's mock server, which has no server-side
   * apply, pass {@code StatusWriter.replace(client)}. Call before {@link #start}.
   */
  public DovetailOperator withNodeClaimStatusWriter(
      dev.dovetail.controllers.nodeclaim.lifecycle.StatusWriter writer) {
    this.statusWriter = writer;
    return this;
  }

  /** Also runs the metrics-driven autoscaling controllers (issue 23); call before start. */
  public DovetailOperator withAutoscaling(
      dev.dovetail.controllers.autoscaling.AutoscalingControllers autoscaling) {
    this.autoscaling = autoscaling;
    return this;
  }

  public DovetailOperator start() {
    state = new ClusterState(client, clock);
    EventRecorder events = new EventRecorder(client, clock, Duration.ofMinutes(5));
    // NodeClass lookups (readiness, instance types) read a watch, not a GET per NodePool per pass
    // (the NodeClass status controller reads the same informers: one watch per kind)
    var nodeClasses =
        dev.dovetail.provider.NodeClassCache.start(client, provider.supportedNodeClasses());
    controllers.add(nodeClasses);
    cloud =
        new CloudProviderFacade(
            provider,
            client,
            new UnavailableOfferings(clock, settings.unavailableOfferingsTtl()),
            nodeClasses);
    FeatureGates gates = settings.featureGates();
    ControllerContext context = new ControllerContext(client, state, cloud, events, clock);
    disruption =
        new DisruptionController(
            context,
            disruptionOptions.withPlanner(
                disruptionOptions
                    .planner()
                    .withSpotToSpot(gates.spotToSpotConsolidation())
                    .withScheduling(
                        settings
                            .policies()
                            .apply(dev.dovetail.scheduling.SchedulingOptions.DEFAULT))),
            observers.decisions());
    // The handler exists before the provider can report anything: an event is either handled
    // (recorded on the API server) or refused with an exception so the provider keeps it.
    InterruptionController handler =
        new InterruptionController(
            client, state, cloud, events, disruption, observers.interruptions(), clock);
    interruption = handler;
    InterruptionListener interruptions =
        event -> {
          listeners.interruptions().onInterruption(event);
          handler.onInterruption(event);
        };
    provider.start(
        new ProviderContext(
            settings.clusterName(),
            providerSettings,
            clock,
            new KubeNodeRegistrar(client),
            interruptions));
    if (listeners.provisioning() instanceof dev.dovetail.metrics.Metrics metrics) {
      state.addListener(
          obj -> {
            if (obj instanceof io.fabric8.kubernetes.api.model.Pod pod) {
              metrics.podUpdated(pod, clock.instant());
            }
          });
    }
    state.start();
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .checkingCRDAndValidateLocalModel(false)
                    .withCloseClientOnStop(false)
                    .withConcurrentReconciliationThreads(16));
    // registration outcomes per NodePool: written by the lifecycle, read by the NodePool status
    var nodePoolHealth = new dev.dovetail.state.NodePoolHealth();
    operator.register(
        new NodeClaimLifecycleReconciler(
                client,
                cloud,
                state,
                events,
                clock,
                new NodeClaimLifecycleReconciler.Options(
                    settings.registrationTtl(), settings.launchTimeout()),
                listeners.lifecycle(),
                nodePoolHealth,
                statusWriter != null
                    ? statusWriter
                    : dev.dovetail.controllers.nodeclaim.lifecycle.StatusWriter.serverSideApply(
                        client))
            .withHeartbeat(liveness.loop("nodeclaim.lifecycle", Duration.ofMinutes(5), null)),
        // The reconciler's own NodeClaim cache, like the cluster state's, goes without the
        // managedFields its status applies give every claim (a map tree of ~50 maps each), and
        // holds the cluster state's object of each version rather than a second copy.
        o ->
            o.withItemStore(
                dev.dovetail.state.WithoutManagedFields.sharing(state.nodeClaimCopies())));
    operator.start();
    provisioner =
        new Provisioner(context, provisionerOptions(settings), listeners.provisioning())
            .withHeartbeat(liveness.loop("provisioner", Duration.ofMinutes(5), null))
            .start();
    // The interrupted NodeClaims waiting on their replacements move on every second.
    runEvery("interruption", Duration.ofSeconds(1), Duration.ZERO, handler::advance);
    // A consolidation pass over a large cluster may run for minutes without being stuck.
    periodic.add(
        PeriodicController.every(
                disruptionOptions.pollInterval(), "disruption", disruption::reconcileOnce)
            .withInitialDelay(disruptionOptions.pollInterval())
            .withMaxPass(Duration.ofMinutes(10))
            .withErrors(observers.errors())
            .withLiveness(liveness)
            .start());
    if (gates.nodeRepair()) {
      repair = new NodeRepairController(client, state, cloud, events, clock);
      runEvery(
          "node.health",
          disruptionOptions.pollInterval(),
          disruptionOptions.pollInterval(),
          repair::reconcileOnce);
    }
    controllers.add(
        new dev.dovetail.controllers.node.termination.NodeTerminationController(client, state)
            .withHeartbeat(
                liveness.loop("node.termination", Duration.ofMinutes(5), Duration.ofMinutes(2)))
            .start());
    var garbageCollector =
        new dev.dovetail.controllers.nodeclaim.garbagecollection.GarbageCollector(
            client, cloud.provider(), state, events, clock, gcGrace);
    runEvery("nodeclaim.garbagecollection", gcInterval, gcInterval, garbageCollector::collect);
    var nodePoolStatus =
        new dev.dovetail.controllers.nodepool.NodePoolStatusController(
                client, state, cloud, clock, nodePoolHealth)
            .watch();
    runEvery(
        "nodepool.status", Duration.ofSeconds(1), Duration.ZERO, nodePoolStatus::reconcileIfDirty);
    var nodeClassStatus =
        new NodeClassStatusController(
                client, provider, state, events, clock, observers.errors(), nodeClasses)
            .watch(nodePoolStatus::markDirty);
    runEvery("nodeclass", Duration.ofMillis(200), Duration.ZERO, nodeClassStatus::drain);
    runEvery("nodeclass.resync", nodeClassResync, nodeClassResync, nodeClassStatus::resyncAll);
    startParityControllers(events, gates);
    if (autoscaling != null) { // issue 23
      controllers.add(autoscaling.start(client, clock));
    }
    LOG.info(
        "dovetail controllers started with provider {}, feature gates {}", provider.name(), gates);
    return this;
  }

  /**
   * The controllers upstream has and Dovetail added for parity (issue 22). Each takes its own
   * options record whose {@code enabled} is the switch a feature gate sets.
   */
  private void startParityControllers(EventRecorder events, FeatureGates gates) {
    // ---- feature switches: the one place feature gates map onto controllers ----
    var expiration =
        new dev.dovetail.controllers.nodeclaim.expiration.ExpirationController.Options(
            true, disruptionOptions.pollInterval());
    // The Drifted/Consolidatable conditions are what the disruption pass reads, so they are kept
    // fresh at least every 10 s even when the disruption pass itself polls rarely (or is driven by
    // hand, as the plugins' end-to-end tests do): upstream's controller is event-driven.
    Duration conditionsInterval =
        disruptionOptions.pollInterval().compareTo(Duration.ofSeconds(10)) < 0
            ? disruptionOptions.pollInterval()
            : Duration.ofSeconds(10);
    var nodeClaimDisruption =
        new dev.dovetail.controllers.nodeclaim.disruption.NodeClaimDisruptionController.Options(
            true, conditionsInterval);
    // gate StaticCapacity (upstream alpha, default false)
    var staticCapacity =
        new dev.dovetail.controllers.staticcapacity.StaticCapacityController.Options(
            gates.staticCapacity(), disruptionOptions.pollInterval());
    // gate NodeOverlay (upstream alpha, default false)
    var nodeOverlay =
        new dev.dovetail.controllers.nodeoverlay.NodeOverlayController.Options(
            gates.nodeOverlay(), disruptionOptions.pollInterval());
    // gate CapacityBuffer (upstream alpha, default false)
    var capacityBuffer =
        new dev.dovetail.controllers.capacitybuffer.CapacityBufferController.Options(
            gates.capacityBuffer(), disruptionOptions.pollInterval());
    // ---- end of feature switches ----
    var buffers =
        new dev.dovetail.controllers.capacitybuffer.CapacityBufferController(
            client, clock, capacityBuffer, provisioner::trigger);
    provisioner.useCapacityBuffers(buffers::virtualPods);
    if (capacityBuffer.enabled()) {
      runEvery(
          "capacitybuffer", capacityBuffer.pollInterval(), Duration.ZERO, buffers::reconcileOnce);
    }
    if (nodeOverlay.enabled()) {
      var overlays =
          new dev.dovetail.controllers.nodeoverlay.NodeOverlayController(
              client, state, cloud, clock, nodeOverlay);
      runEvery("nodeoverlay", nodeOverlay.pollInterval(), Duration.ZERO, overlays::reconcileOnce);
    }
    if (staticCapacity.enabled()) {
      var statics =
          new dev.dovetail.controllers.staticcapacity.StaticCapacityController(
              client, state, cloud, events, staticCapacity);
      runEvery(
          "staticcapacity",
          staticCapacity.pollInterval(),
          staticCapacity.pollInterval(),
          statics::reconcileOnce);
    }
    if (nodeClaimDisruption.enabled()) {
      var markers =
          new dev.dovetail.controllers.nodeclaim.disruption.NodeClaimDisruptionController(
              client, state, cloud, clock, nodeClaimDisruption);
      runEvery(
          "nodeclaim.disruption",
          nodeClaimDisruption.pollInterval(),
          Duration.ZERO,
          markers::reconcileOnce);
    }
    if (expiration.enabled()) {
      var expirations =
          new dev.dovetail.controllers.nodeclaim.expiration.ExpirationController(
              client, state, events, clock, expiration, observers.expirations());
      runEvery(
          "nodeclaim.expiration",
          expiration.pollInterval(),
          expiration.pollInterval(),
          expirations::reconcileOnce);
    }
  }

  /**
   * Starts a periodic controller: its passes are counted on failure ({@code
   * karpenter_*_errors}-style metric) and watched by the liveness probe; {@link #close} stops it.
   */
  private void runEvery(String name, Duration interval, Duration initialDelay, Runnable reconcile) {
    periodic.add(
        PeriodicController.every(interval, name, reconcile)
            .withInitialDelay(initialDelay)
            .withErrors(observers.errors())
            .withLiveness(liveness)
            .start());
  }

  /** The periodic controllers running, in start order. */
  public java.util.List<PeriodicController> periodicControllers() {
    return java.util.List.copyOf(periodic);
  }

  /** What /healthz answers: every controller loop passing, none stuck. */
  public Liveness liveness() {
    return liveness;
  }

  public ClusterState state() {
    return state;
  }

  public CloudProviderFacade cloud() {
    return cloud;
  }

  public Provisioner provisioner() {
    return provisioner;
  }

  public DisruptionController disruption() {
    return disruption;
  }

  public InterruptionController interruption() {
    return interruption;
  }

  /** The node repair controller, or null when the NodeRepair feature gate is off. */
  public NodeRepairController repair() {
    return repair;
  }

  /**
   * How often garbage collection runs and how old an instance without a NodeClaim must be before it
   * is terminated (the chaos suite compresses both); call before {@link #start}.
   */
  public DovetailOperator withGarbageCollection(Duration interval, Duration grace) {
    this.gcInterval = interval;
    this.gcGrace = grace;
    return this;
  }

  /** How often every NodeClass is resolved again; call before {@link #start}. */
  public DovetailOperator withNodeClassResync(Duration resync) {
    this.nodeClassResync = resync;
    return this;
  }

  @Override
  public void close() {
    for (int i = periodic.size() - 1; i >= 0; i--) {
      periodic.get(i).close();
    }
    if (provisioner != null) {
      provisioner.close();
    }
    for (AutoCloseable c : controllers) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.debug("stopping {}: {}", c, e.toString());
      }
    }
    if (operator != null) {
      try {
        operator.stop();
      } catch (RuntimeException e) {
        LOG.debug("stopping operator: {}", e.toString());
      }
    }
    if (state != null) {
      state.close();
    }
    provider.close();
  }

  /** The provisioner's share of the settings. */
  static Provisioner.Options provisionerOptions(Settings settings) {
    return new Provisioner.Options(
        settings.batchIdleDuration(),
        settings.batchMaxDuration(),
        settings.maxPodsPerBatch(),
        settings.nominationTtl(),
        settings.policies().apply(dev.dovetail.scheduling.SchedulingOptions.DEFAULT),
        settings.kubeClientRate().qps(),
        settings.kubeClientRate().burst());
  }
}
