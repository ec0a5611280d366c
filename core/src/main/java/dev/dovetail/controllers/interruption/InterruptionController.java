package dev.dovetail.controllers.interruption;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.InterruptionEvent;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.controllers.disruption.DisruptionController;
import dev.dovetail.controllers.provisioning.NodeClaimFactory;
import dev.dovetail.kube.EventRecorder;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on what the provider reports through {@link InterruptionListener} (Karpenter's interruption
 * controller, fed by a plugin instead of an SQS queue): for a spot interruption, scheduled
 * maintenance or an instance stopping/terminating, the node is cordoned, replacement capacity for
 * its pods is launched right away, and its NodeClaim is deleted (so the termination path drains it)
 * once the replacements are initialized, or {@link #DRAIN_ALLOWANCE} before the notice's deadline
 * at the latest; without a deadline or replacements, at once. A rebalance recommendation only
 * produces an event.
 *
 * <p>{@link #onInterruption} works synchronously: when it returns, the handling is recorded on the
 * API server (node cordoned, replacements created, the NodeClaim deleted or queued for deletion
 * behind its replacements), so the provider may delete the message from its queue; when it throws
 * (cluster state not synced yet, an API failure), nothing may be assumed and the provider keeps the
 * message to deliver it again.
 */
public final class InterruptionController implements InterruptionListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InterruptionController.class);

  private final KubernetesClient client;
  private final ClusterState state;
  private final CloudProviderFacade cloud;
  private final EventRecorder events;
  private final DisruptionController disruption;
  private final NodeClaimFactory claims = new NodeClaimFactory();
  private final Observer observer;

  /** Sees what the controller received and did (Karpenter's interruption metrics). */
  public interface Observer {
    Observer NONE = new Observer() {};

    /** An event arrived ({@code message_type}). */
    default void received(InterruptionEvent.Kind kind) {}

    /** An event named no NodeClaim this cluster knows. */
    default void unknownInstance(InterruptionEvent.Kind kind) {}

    /** An action was taken: {@code CordonAndDrain} or {@code NoAction}. */
    default void actionPerformed(String action) {}
  }

  /**
   * How much of the notice is kept for draining: the interrupted NodeClaim is deleted once its
   * replacements are initialized, or at {@code deadline - DRAIN_ALLOWANCE} at the latest.
   */
  public static final java.time.Duration DRAIN_ALLOWANCE = java.time.Duration.ofSeconds(60);

  /** An interrupted NodeClaim whose replacements are launching. */
  private record Waiting(NodeClaim claim, List<String> replacements, java.time.Instant deleteBy) {}

  private final java.time.Clock clock;
  private final Map<String, Waiting> waiting = new java.util.LinkedHashMap<>();

  public InterruptionController(
      KubernetesClient client,
      ClusterState state,
      CloudProviderFacade cloud,
      EventRecorder events,
      DisruptionController disruption) {
    this(client, state, cloud, events, disruption, Observer.NONE, java.time.Clock.systemUTC());
  }

  public InterruptionController(
      KubernetesClient client,
      ClusterState state,
      CloudProviderFacade cloud,
      EventRecorder events,
      DisruptionController disruption,
      Observer observer) {
    this(client, state, cloud, events, disruption, observer, java.time.Clock.systemUTC());
  }

  public InterruptionController(
      KubernetesClient client,
      ClusterState state,
      CloudProviderFacade cloud,
      EventRecorder events,
      DisruptionController disruption,
      java.time.Clock clock) {
    this(client, state, cloud, events, disruption, Observer.NONE, clock);
  }

  public InterruptionController(
      KubernetesClient client,
      ClusterState state,
      CloudProviderFacade cloud,
      EventRecorder events,
      DisruptionController disruption,
      Observer observer,
      java.time.Clock clock) {
    this.observer = observer;
    this.client = client;
    this.state = state;
    this.cloud = cloud;
    this.events = events;
    this.disruption = disruption;
    this.clock = clock;
  }

  /**
   * Deletes the interrupted NodeClaims whose replacements are initialized (or gone: nothing left to
   * wait for), or whose notice is running out. Returns the NodeClaims deleted.
   */
  public synchronized List<String> advance() {
    java.time.Instant now = clock.instant();
    List<String> deleted = new java.util.ArrayList<>();
    for (var it = waiting.values().iterator(); it.hasNext(); ) {
      Waiting w = it.next();
      boolean ready =
          w.replacements().stream()
              .allMatch(
                  r ->
                      state
                          .nodeClaim(r)
                          .map(
                              c ->
                                  c.getStatus() != null
                                      && dev.dovetail.kube.Conditions.isTrue(
                                          c.getStatus().getConditions(),
                                          dev.dovetail.apis.v1.Karpenter.Conditions.INITIALIZED))
                          .orElse(true));
      if (ready || !now.isBefore(w.deleteBy())) {
        it.remove();
        deleteInterrupted(w.claim(), ready ? "replacements initialized" : "notice running out");
        deleted.add(w.claim().getMetadata().getName());
      }
    }
    return deleted;
  }

  private void deleteInterrupted(NodeClaim claim, String why) {
    LOG.info("deleting interrupted NodeClaim {}: {}", claim.getMetadata().getName(), why);
    try {
      client.resource(claim).delete();
    } catch (RuntimeException e) {
      LOG.warn(
          "deleting interrupted NodeClaim {}: {}", claim.getMetadata().getName(), e.toString());
    }
  }

  /**
   * Handles the event before returning; throws when it could not be recorded (see the class
   * comment).
   */
  @Override
  public void onInterruption(InterruptionEvent event) {
    if (!state.synced()) {
      // Reading "no such NodeClaim" from a cache that is still filling would drop the event.
      throw new IllegalStateException("cluster state not synced yet; deliver the event again");
    }
    handle(event);
  }

  /** Handles one event synchronously; throws when the handling could not be recorded. */
  public synchronized void handle(InterruptionEvent event) {
    observer.received(event.kind());
    Optional<NodeClaim> found =
        state.nodeClaims().stream()
            .filter(
                c ->
                    c.getStatus() != null
                        && event.providerId().equals(c.getStatus().getProviderID()))
            .findFirst();
    if (found.isEmpty()) {
      LOG.info(
          "interruption {} for an instance no NodeClaim owns: {}",
          event.kind(),
          event.providerId());
      observer.unknownInstance(event.kind());
      return;
    }
    NodeClaim claim = found.get();
    String name = claim.getMetadata().getName();
    String reason = reason(event.kind());
    events.warning(
        claim,
        reason,
        event.message() + (event.deadline() == null ? "" : " (deadline " + event.deadline() + ")"));
    if (!event.kind().requiresAction()) {
      LOG.info("{} for NodeClaim {}: no action", event.kind(), name);
      observer.actionPerformed("NoAction");
      return;
    }
    if (claim.getMetadata().getDeletionTimestamp() != null) {
      return; // already on its way out
    }
    if (event.kind() == InterruptionEvent.Kind.SPOT_INTERRUPTION) {
      markUnavailable(claim);
    }
    Optional<Node> node = state.nodeByProviderId(event.providerId());
    node.ifPresent(this::cordon);
    int launched = 0;
    List<String> replacementNames = new java.util.ArrayList<>();
    if (node.isPresent()) {
      List<NewNodeClaim> plans = disruption.replacementsFor(name);
      Map<String, NodePool> pools = new java.util.HashMap<>();
      state.nodePools().forEach(p -> pools.put(p.getMetadata().getName(), p));
      for (NewNodeClaim plan : plans) {
        NodePool pool = pools.get(plan.nodePool());
        if (pool != null) {
          try {
            NodeClaim created = client.resource(claims.build(pool, plan)).create();
            replacementNames.add(created.getMetadata().getName());
            events.normal(
                created,
                "DisruptionLaunching",
                "Launching NodeClaim: replacement for interrupted " + name);
            launched++;
          } catch (RuntimeException e) {
            // The provisioner places the pods once they are pending; the deletion must go on.
            LOG.warn("launching a replacement for interrupted {}: {}", name, e.toString());
          }
        }
      }
    }
    LOG.info(
        "interruption {} of NodeClaim {} ({}): cordoned, {} replacement(s) launched",
        event.kind(),
        name,
        event.providerId(),
        launched);
    events.normal(claim, "DisruptionTerminating", "Disrupting NodeClaim: " + reason);
    observer.actionPerformed("CordonAndDrain");
    java.time.Instant deleteBy =
        event.deadline() == null ? null : event.deadline().minus(DRAIN_ALLOWANCE);
    if (replacementNames.isEmpty() || deleteBy == null || !clock.instant().isBefore(deleteBy)) {
      client.resource(claim).delete(); // throws when not recorded: the provider keeps the message
      return;
    }
    // Wait for the replacements (bounded by the notice) so the pods move once, onto ready nodes.
    // The node is cordoned already; a restart meanwhile leaves it cordoned for the disruption
    // controller (the wait itself is in memory).
    waiting.put(name, new Waiting(claim, List.copyOf(replacementNames), deleteBy));
    ensureTicking();
  }

  private void markUnavailable(NodeClaim claim) {
    Map<String, String> labels = claim.getMetadata().getLabels();
    if (labels == null) {
      return;
    }
    String type = labels.get(WellKnownLabels.INSTANCE_TYPE);
    String zone = labels.get(WellKnownLabels.ZONE);
    String ct = labels.get(WellKnownLabels.CAPACITY_TYPE);
    if (type != null && zone != null && ct != null) {
      // Like upstream: the reclaimed spot pool is not the place to launch the replacement.
      cloud.unavailableOfferings().markUnavailable(List.of(new OfferingKey(type, zone, ct)));
    }
  }

  /** Cordons the node; an API failure propagates (the event is not handled). */
  private void cordon(Node node) {
    client
        .nodes()
        .withName(node.getMetadata().getName())
        .edit(
            n -> {
              n.getSpec().setUnschedulable(true);
              return n;
            });
  }

  private static String reason(InterruptionEvent.Kind kind) {
    return switch (kind) {
      case SPOT_INTERRUPTION -> "SpotInterrupted";
      case REBALANCE_RECOMMENDATION -> "SpotRebalanceRecommendation";
      case SCHEDULED_MAINTENANCE -> "InstanceScheduledChange";
      case INSTANCE_STOPPING -> "InstanceStopping";
      case INSTANCE_TERMINATING -> "InstanceTerminating";
    };
  }

  private java.util.concurrent.ScheduledExecutorService ticker;

  private synchronized void ensureTicking() {
    if (ticker != null) {
      return;
    }
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "interruption-wait");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleWithFixedDelay(
        () -> {
          try {
            advance();
          } catch (RuntimeException e) {
            LOG.error("interruption wait pass failed", e);
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
  }
}
