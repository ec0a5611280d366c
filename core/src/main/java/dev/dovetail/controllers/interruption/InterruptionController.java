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
 * message to deliver it again. The waits behind replacements move on in {@link #advance}, which the
 * operator runs every second as a {@link dev.dovetail.controllers.PeriodicController}.
 */
public final class InterruptionController implements InterruptionListener {
  private static final Logger LOG = LoggerFactory.getLogger(InterruptionController.class);

  private final KubernetesClient client;
  private final ClusterState state;
  private final CloudProviderFacade cloud;
  private final EventRecorder events;
  private final DisruptionController disruption;
  private final NodeClaimFactory claims;
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

  /**
   * On an interrupted NodeClaim waiting for its replacements: when it is deleted at the latest (the
   * notice's deadline minus {@link #DRAIN_ALLOWANCE}), and which NodeClaims it waits for.
   */
  public static final String DELETE_BY_ANNOTATION = "interruption.dovetail.dev/delete-by";

  public static final String REPLACEMENTS_ANNOTATION = "interruption.dovetail.dev/replacements";

  /** An interrupted NodeClaim whose replacements are launching. */
  private record Waiting(NodeClaim claim, List<String> replacements, java.time.Instant deleteBy) {}

  private final java.time.Clock clock;
  private final Map<String, Waiting> waiting = new java.util.LinkedHashMap<>();

  /**
   * The waits recorded on NodeClaims as last read, re-read only after a NodeClaim changed (a wait
   * recorded, a replacement initialized, a claim deleted): an idle pass every second does not walk
   * every NodeClaim. True at first, so waits of an earlier operator are resumed.
   */
  private volatile boolean claimsChanged = true;

  private Map<String, Waiting> recorded = Map.of();
  private long fullScans;

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
    this.claims = new NodeClaimFactory(name -> state.nodeClaim(name).isPresent());
    this.cloud = cloud;
    this.events = events;
    this.disruption = disruption;
    this.clock = clock;
    state.addListener(
        obj -> {
          if (obj instanceof NodeClaim) {
            claimsChanged = true;
          }
        });
  }

  /** How many passes read every NodeClaim (the others only looked at the known waits). */
  synchronized long fullScans() {
    return fullScans;
  }

  /** Whether a NodeClaim changed since the last pass (the next one reads them all). */
  boolean claimsChangedSinceLastPass() {
    return claimsChanged;
  }

  /**
   * Deletes the interrupted NodeClaims whose replacements are initialized (or gone: nothing left to
   * wait for), or whose notice is running out. The waits are read from the NodeClaims' annotations
   * (see {@link #DELETE_BY_ANNOTATION}), so an operator started after a restart resumes them.
   * Returns the NodeClaims deleted.
   */
  public synchronized List<String> advance() {
    java.time.Instant now = clock.instant();
    if (claimsChanged) {
      // cleared before reading, so a change during the scan is seen by the next pass
      claimsChanged = false;
      Map<String, Waiting> found = new java.util.LinkedHashMap<>();
      for (NodeClaim c : state.nodeClaims()) {
        waitingOn(c).ifPresent(w -> found.put(c.getMetadata().getName(), w));
      }
      recorded = found;
      fullScans++;
    }
    if (recorded.isEmpty() && waiting.isEmpty()) {
      return List.of(); // the idle pass: nothing waits, nothing changed
    }
    Map<String, Waiting> all = new java.util.LinkedHashMap<>(recorded);
    all.putAll(waiting); // written by this instance, perhaps not in the cache yet
    List<String> deleted = new java.util.ArrayList<>();
    for (Waiting w : all.values()) {
      String name = w.claim().getMetadata().getName();
      Optional<NodeClaim> current = state.nodeClaim(name);
      if (current.isPresent() && current.get().getMetadata().getDeletionTimestamp() != null) {
        waiting.remove(name);
        continue;
      }
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
        if (deleteInterrupted(
            w.claim(), ready ? "replacements initialized" : "notice running out")) {
          waiting.remove(name);
          deleted.add(name);
        }
      }
    }
    return deleted;
  }

  /** The wait recorded on a NodeClaim, if any. */
  private static Optional<Waiting> waitingOn(NodeClaim c) {
    Map<String, String> ann = c.getMetadata().getAnnotations();
    if (ann == null || !ann.containsKey(DELETE_BY_ANNOTATION)) {
      return Optional.empty();
    }
    try {
      java.time.Instant by = java.time.Instant.parse(ann.get(DELETE_BY_ANNOTATION));
      String r = ann.getOrDefault(REPLACEMENTS_ANNOTATION, "");
      List<String> replacements = r.isBlank() ? List.of() : List.of(r.split(","));
      return Optional.of(new Waiting(c, replacements, by));
    } catch (RuntimeException e) {
      // unparseable: delete now rather than wait forever (the notice was real)
      return Optional.of(new Waiting(c, List.of(), java.time.Instant.EPOCH));
    }
  }

  /** Deletes the interrupted NodeClaim; false when the API refused (tried again next tick). */
  private boolean deleteInterrupted(NodeClaim claim, String why) {
    dev.dovetail.controllers.nodeclaim.NodeClaimDeletion.announce(
        events, claim, "Interrupted", "interruption", why);
    try {
      client.resources(NodeClaim.class).withName(claim.getMetadata().getName()).delete();
      return true;
    } catch (RuntimeException e) {
      LOG.warn(
          "deleting interrupted NodeClaim {}: {}", claim.getMetadata().getName(), e.toString());
      return false;
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
      dev.dovetail.controllers.nodeclaim.NodeClaimDeletion.announce(
          events, claim, "Interrupted", "interruption", event.kind() + ", deleted at once");
      client.resource(claim).delete(); // throws when not recorded: the provider keeps the message
      return;
    }
    // Wait for the replacements (bounded by the notice) so the pods move once, onto ready nodes.
    // The wait is recorded on the NodeClaim before this returns (an API failure propagates: the
    // provider keeps the message), so an operator restarted meanwhile resumes it.
    client
        .resources(NodeClaim.class)
        .withName(name)
        .edit(
            nc -> {
              Map<String, String> ann =
                  nc.getMetadata().getAnnotations() == null
                      ? new java.util.HashMap<>()
                      : new java.util.HashMap<>(nc.getMetadata().getAnnotations());
              ann.put(DELETE_BY_ANNOTATION, deleteBy.toString());
              ann.put(REPLACEMENTS_ANNOTATION, String.join(",", replacementNames));
              nc.getMetadata().setAnnotations(ann);
              return nc;
            });
    waiting.put(name, new Waiting(claim, List.copyOf(replacementNames), deleteBy));
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
}
