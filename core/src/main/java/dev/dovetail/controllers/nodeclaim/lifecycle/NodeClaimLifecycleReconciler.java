package dev.dovetail.controllers.nodeclaim.lifecycle;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.Karpenter.Conditions;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClaimStatus;
import dev.dovetail.cloudprovider.CreateException;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.NodeClassNotReadyException;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.controllers.node.termination.Terminator;
import dev.dovetail.kube.EventRecorder;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.NodePoolHealth;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a NodeClaim from request to a usable node: launch through the provider, registration when
 * the Node with its providerID appears, initialization when that node is ready. Observe first, then
 * act: each pass reads what exists, writes the status that says so, then does the next step.
 *
 * <p>The finalizer {@code karpenter.sh/termination} makes deletion go through {@link #cleanup},
 * which terminates the instance before the NodeClaim disappears, so no machine is leaked.
 */
@ControllerConfiguration(
    name = "nodeclaim.lifecycle",
    finalizerName = Karpenter.TERMINATION_FINALIZER,
    // Each step ends by writing the status; that change must wake the next step.
    generationAwareEventProcessing = false)
public class NodeClaimLifecycleReconciler implements Reconciler<NodeClaim>, Cleaner<NodeClaim> {
  private static final Logger LOG = LoggerFactory.getLogger(NodeClaimLifecycleReconciler.class);

  private final KubernetesClient client;
  private final CloudProviderFacade cloud;
  private final ClusterState state;
  private final EventRecorder events;
  private final Clock clock;
  private final Options options;
  private final LifecycleListener listener;
  private final Terminator terminator;
  private final NodePoolHealth health;
  private final StatusWriter statusWriter;

  /** Observes lifecycle transitions (metrics, demo timeline). */
  public interface LifecycleListener
      extends dev.dovetail.controllers.node.termination.TerminationObserver {
    default void launched(NodeClaim claim, Instance instance) {}

    default void registered(NodeClaim claim, Node node) {}

    default void initialized(NodeClaim claim, Node node) {}

    default void terminated(NodeClaim claim) {}

    LifecycleListener NONE = new LifecycleListener() {};
  }

  /**
   * The lifecycle's share of the operator's settings.
   *
   * @param registrationTtl a launched NodeClaim whose node has not registered by then is deleted
   * @param launchTimeout a NodeClaim that cannot launch for this long is deleted
   */
  public record Options(Duration registrationTtl, Duration launchTimeout) {}

  public NodeClaimLifecycleReconciler(
      KubernetesClient client,
      CloudProviderFacade cloud,
      ClusterState state,
      EventRecorder events,
      Clock clock,
      Options options,
      LifecycleListener listener) {
    this(
        client,
        cloud,
        state,
        events,
        clock,
        options,
        listener,
        new NodePoolHealth(),
        StatusWriter.serverSideApply(client));
  }

  /**
   * @param health where each registration and each launch or registration timeout is recorded
   *     against the NodeClaim's NodePool (its NodeRegistrationHealthy condition)
   * @param statusWriter how the status is written: {@link StatusWriter#serverSideApply} on a real
   *     API server (the default), {@link StatusWriter#replace} where one lacks server-side apply
   */
  public NodeClaimLifecycleReconciler(
      KubernetesClient client,
      CloudProviderFacade cloud,
      ClusterState state,
      EventRecorder events,
      Clock clock,
      Options options,
      LifecycleListener listener,
      NodePoolHealth health,
      StatusWriter statusWriter) {
    this.statusWriter = statusWriter;
    this.health = health;
    this.client = client;
    this.cloud = cloud;
    this.state = state;
    this.events = events;
    this.clock = clock;
    this.options = options;
    this.listener = listener;
    this.terminator = new Terminator(client, cloud, state, events, clock, listener);
  }

  /**
   * A Node event wakes the NodeClaim with the same providerID. The Nodes are the cluster state's
   * (its listeners hear of each change after its provider-ID map holds it): a source of our own
   * would keep a second cache of every Node and two more provider-ID indexes (~700 bytes a node).
   */
  @Override
  public List<EventSource<?, NodeClaim>> prepareEventSources(
      EventSourceContext<NodeClaim> context) {
    SimpleInboundEventSource<NodeClaim> nodeEvents = new SimpleInboundEventSource<>("nodes");
    state.addListener(obj -> claimWoken(state, obj).ifPresent(nodeEvents::propagateEvent));
    return List.of(nodeEvents);
  }

  /**
   * The NodeClaim a cluster-state event concerns: for a Node, the claim whose status carries its
   * providerID; for a NodeClaim not registered yet, itself once the cluster state holds its node.
   * The second covers a Node the cluster state heard of before the claim's providerID (the cloud
   * may create the Node before the launch writes the status): that Node event found no claim, and
   * the pass the status write caused may have run before the cluster state had the Node.
   */
  static Optional<ResourceID> claimWoken(ClusterState state, Object event) {
    if (event instanceof Node node) {
      String pid = node.getSpec() == null ? null : node.getSpec().getProviderID();
      return state.nodeClaimNameByProviderId(pid).map(ResourceID::new);
    }
    if (event instanceof NodeClaim claim
        && claim.getStatus() != null
        && !dev.dovetail.kube.Conditions.isTrue(
            claim.getStatus().getConditions(), Conditions.REGISTERED)
        && state.nodeByProviderId(claim.getStatus().getProviderID()).isPresent()) {
      return Optional.of(ResourceID.fromResource(claim));
    }
    return Optional.empty();
  }

  private Optional<Node> nodeFor(String providerId) {
    return state.nodeByProviderId(providerId);
  }

  private volatile dev.dovetail.controllers.Liveness.Loop heartbeat;

  /** Reports each reconcile and cleanup to the liveness probe; call before registering. */
  public NodeClaimLifecycleReconciler withHeartbeat(dev.dovetail.controllers.Liveness.Loop loop) {
    this.heartbeat = loop;
    return this;
  }

  private <T> T beat(java.util.function.Supplier<T> pass) {
    var beat = heartbeat;
    if (beat == null) {
      return pass.get();
    }
    beat.begin();
    try {
      return pass.get();
    } finally {
      beat.end();
    }
  }

  @Override
  public UpdateControl<NodeClaim> reconcile(NodeClaim claim, Context<NodeClaim> context) {
    return beat(() -> reconcilePass(claim));
  }

  private UpdateControl<NodeClaim> reconcilePass(NodeClaim claim) {
    if (claim.getStatus() == null) {
      claim.setStatus(new NodeClaimStatus());
    }
    NodeClaimStatus status = claim.getStatus();
    if (status.getConditions() == null) {
      status.setConditions(new ArrayList<>());
    }
    Instant now = clock.instant();
    Long gen = claim.getMetadata().getGeneration();

    if (!dev.dovetail.kube.Conditions.isTrue(status.getConditions(), Conditions.LAUNCHED)) {
      return launch(claim, now, gen);
    }
    if (!dev.dovetail.kube.Conditions.isTrue(status.getConditions(), Conditions.REGISTERED)) {
      return register(claim, now, gen);
    }
    if (!dev.dovetail.kube.Conditions.isTrue(status.getConditions(), Conditions.INITIALIZED)) {
      return initialize(claim, now, gen);
    }
    return UpdateControl.noUpdate();
  }

  private UpdateControl<NodeClaim> launch(NodeClaim claim, Instant now, Long gen) {
    NodeClaimStatus status = claim.getStatus();
    String name = claim.getMetadata().getName();
    try {
      Instance instance = cloud.create(claim);
      status.setProviderID(instance.providerId());
      status.setImageID(instance.imageId());
      status.setCapacity(CloudProviderFacade.quantities(instance.capacity()));
      status.setAllocatable(CloudProviderFacade.quantities(instance.allocatable()));
      Map<String, String> labels = new HashMap<>();
      if (claim.getMetadata().getLabels() != null) {
        labels.putAll(claim.getMetadata().getLabels());
      }
      labels.putAll(instance.labels());
      labels.put(WellKnownLabels.INSTANCE_TYPE, instance.instanceType());
      labels.put(WellKnownLabels.ZONE, instance.zone());
      labels.put(WellKnownLabels.CAPACITY_TYPE, instance.capacityType());
      labels.remove(WellKnownLabels.HOSTNAME);
      // Labels are metadata: written with their own merge patch, while the status goes through
      // JOSDK (a status patch that also carries metadata changes is refused by the API).
      client
          .resources(NodeClaim.class)
          .withName(name)
          .patch(
              io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                  io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
              io.fabric8.kubernetes.client.utils.Serialization.asJson(
                  java.util.Map.of("metadata", java.util.Map.of("labels", labels))));
      setCondition(claim, Conditions.LAUNCHED, true, "Launched", "", gen, now);
      setCondition(claim, Conditions.REGISTERED, false, "AwaitingRegistration", "", gen, now);
      setCondition(claim, Conditions.INITIALIZED, false, "AwaitingInitialization", "", gen, now);
      setCondition(claim, Conditions.READY, false, "AwaitingInitialization", "", gen, now);
      events.normal(
          claim,
          "Launched",
          "Launched "
              + instance.instanceType()
              + " ("
              + instance.capacityType()
              + ") in "
              + instance.zone()
              + " as "
              + instance.providerId());
      listener.launched(claim, instance);
      return writeStatus(claim);
    } catch (InsufficientCapacityException e) {
      // The offerings are marked unavailable and the claim deleted: its pods become pending
      // again and the next solve picks other offerings (Karpenter's ICE handling).
      cloud.unavailableOfferings().markUnavailable(e.offerings());
      state.clearNominations(name);
      events.warning(claim, "InsufficientCapacityError", e.getMessage());
      deleteQuietly(claim, "InsufficientCapacity", "launch failed: no capacity");
      return UpdateControl.noUpdate();
    } catch (NodeClassNotReadyException e) {
      events.warning(claim, "NodeClassNotReady", e.getMessage());
      return failedLaunch(claim, "NodeClassNotReady", e.getMessage(), now, gen);
    } catch (CreateException e) {
      return failedLaunch(claim, e.reason(), e.getMessage(), now, gen);
    } catch (RuntimeException e) {
      LOG.warn("launching NodeClaim {} failed: {}", name, e.toString());
      return failedLaunch(claim, "LaunchFailed", String.valueOf(e.getMessage()), now, gen);
    }
  }

  private UpdateControl<NodeClaim> failedLaunch(
      NodeClaim claim, String reason, String message, Instant now, Long gen) {
    Instant created = Instant.parse(claim.getMetadata().getCreationTimestamp());
    if (!now.isBefore(created.plus(options.launchTimeout()))) {
      events.warning(
          claim,
          "LaunchTimeout",
          "could not launch within " + options.launchTimeout() + ": " + message);
      ownerPoolUid(claim).ifPresent(uid -> health.failed(uid, reason, message));
      state.clearNominations(claim.getMetadata().getName());
      deleteQuietly(claim, "LaunchTimeout", "not launched within " + options.launchTimeout());
      return UpdateControl.noUpdate();
    }
    setCondition(claim, Conditions.LAUNCHED, false, reason, message, gen, now);
    return writeStatus(claim).rescheduleAfter(Duration.ofSeconds(5));
  }

  private UpdateControl<NodeClaim> register(NodeClaim claim, Instant now, Long gen) {
    NodeClaimStatus status = claim.getStatus();
    Optional<Node> found = nodeFor(status.getProviderID());
    if (found.isEmpty()) {
      Instant launched =
          dev.dovetail.kube.Conditions.transitionTime(status.getConditions(), Conditions.LAUNCHED)
              .orElse(now);
      Duration waited = Duration.between(launched, now);
      if (waited.compareTo(options.registrationTtl()) >= 0) {
        events.warning(
            claim,
            "RegistrationTimeout",
            "node with providerID "
                + status.getProviderID()
                + " did not register within "
                + options.registrationTtl()
                + "; terminating the instance");
        ownerPoolUid(claim)
            .ifPresent(uid -> health.failed(uid, "RegistrationFailed", "Failed to register node"));
        state.clearNominations(claim.getMetadata().getName());
        deleteQuietly(claim, "RegistrationTimeout", "not registered within the registration TTL");
        return UpdateControl.noUpdate();
      }
      Duration left = options.registrationTtl().minus(waited);
      return UpdateControl.<NodeClaim>noUpdate()
          .rescheduleAfter(
              left.compareTo(Duration.ofSeconds(30)) < 0 ? left : Duration.ofSeconds(30));
    }
    Node node = found.get();
    NodeSync.syncOnRegistration(client, claim, node);
    status.setNodeName(node.getMetadata().getName());
    setCondition(claim, Conditions.REGISTERED, true, "Registered", "", gen, now);
    ownerPoolUid(claim).ifPresent(health::registered);
    listener.registered(claim, node);
    initializeIfReady(claim, node, now, gen);
    return writeStatus(claim);
  }

  private UpdateControl<NodeClaim> initialize(NodeClaim claim, Instant now, Long gen) {
    Optional<Node> node = nodeFor(claim.getStatus().getProviderID());
    if (node.isEmpty()) {
      return UpdateControl.<NodeClaim>noUpdate().rescheduleAfter(Duration.ofSeconds(10));
    }
    boolean changed = initializeIfReady(claim, node.get(), now, gen);
    return changed ? writeStatus(claim) : UpdateControl.noUpdate();
  }

  private boolean initializeIfReady(NodeClaim claim, Node node, Instant now, Long gen) {
    Optional<String> notYet = NodeSync.notInitializedReason(claim, node);
    if (notYet.isPresent()) {
      return setCondition(
          claim, Conditions.INITIALIZED, false, "NotInitialized", notYet.get(), gen, now);
    }
    NodeSync.markInitialized(client, node);
    setCondition(claim, Conditions.INITIALIZED, true, "Initialized", "", gen, now);
    setCondition(claim, Conditions.READY, true, "Ready", "", gen, now);
    listener.initialized(claim, node);
    return true;
  }

  @Override
  public DeleteControl cleanup(NodeClaim claim, Context<NodeClaim> context) {
    return beat(() -> cleanupPass(claim, context));
  }

  private DeleteControl cleanupPass(NodeClaim claim, Context<NodeClaim> context) {
    state.clearNominations(claim.getMetadata().getName());
    // Drain, wait for volumes, terminate the instance, release the Node: see Terminator.
    Terminator.Outcome outcome = terminator.terminate(claim);
    if (!outcome.done()) {
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(outcome.retryAfter());
    }
    listener.terminated(claim);
    return DeleteControl.defaultDelete();
  }

  /**
   * Writes the status through the {@link StatusWriter}. A conflict means the claim changed since we
   * read it: the change event reconciles it again (and the short requeue covers a missed one).
   */
  private UpdateControl<NodeClaim> writeStatus(NodeClaim claim) {
    if (!statusWriter.write(claim)) {
      return UpdateControl.<NodeClaim>noUpdate().rescheduleAfter(Duration.ofMillis(200));
    }
    return UpdateControl.noUpdate();
  }

  /** The UID of the NodePool that owns the claim (upstream counts only owned NodeClaims). */
  private static Optional<String> ownerPoolUid(NodeClaim claim) {
    if (claim.getMetadata().getOwnerReferences() == null) {
      return Optional.empty();
    }
    return claim.getMetadata().getOwnerReferences().stream()
        .filter(o -> "NodePool".equals(o.getKind()) && o.getUid() != null)
        .map(io.fabric8.kubernetes.api.model.OwnerReference::getUid)
        .findFirst();
  }

  private void deleteQuietly(NodeClaim claim, String reason, String detail) {
    dev.dovetail.controllers.nodeclaim.NodeClaimDeletion.announce(
        events, claim, reason, "nodeclaim.lifecycle", detail);
    try {
      client.resource(claim).delete();
    } catch (RuntimeException e) {
      LOG.warn("deleting NodeClaim {} failed: {}", claim.getMetadata().getName(), e.toString());
    }
  }

  private boolean setCondition(
      NodeClaim claim,
      String type,
      boolean value,
      String reason,
      String message,
      Long gen,
      Instant now) {
    return dev.dovetail.kube.Conditions.set(
        claim.getStatus().getConditions(), type, value, reason, message, gen, now);
  }
}
