package dev.dovetail.controllers.node.termination;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.Karpenter.Conditions;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClaimStatus;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.kube.Durations;
import dev.dovetail.kube.EventRecorder;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Terminates a NodeClaim that is being deleted, one idempotent pass at a time (Karpenter's
 * termination controller): taint the node {@code karpenter.sh/disrupted:NoSchedule}, drain it
 * ({@link Drainer}), wait until its VolumeAttachments are gone, then delete the instance through
 * the provider until the provider says it is gone, and finally release and delete the Node. Each
 * step is reflected in the NodeClaim's Drained, VolumesDetached and InstanceTerminating conditions.
 *
 * <p>Once the NodeClaim's terminationGracePeriod has elapsed (the deadline is recorded in the
 * annotation {@code karpenter.sh/nodeclaim-termination-timestamp}, as upstream does), budgets and
 * {@code do-not-disrupt} no longer hold the node: remaining pods are deleted and volumes are not
 * waited for.
 */
public final class Terminator {
  private static final Logger LOG = LoggerFactory.getLogger(Terminator.class);
  static final Duration DRAIN_RETRY = Duration.ofMillis(500);
  static final Duration DELETE_RETRY = Duration.ofSeconds(1);
  static final Duration ERROR_RETRY = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final CloudProviderFacade cloud;
  private final ClusterState state;
  private final EventRecorder events;
  private final Clock clock;
  private final Drainer drainer;
  private final TerminationObserver observer;

  /** Whether the claim is fully terminated, else when to try again. */
  public record Outcome(boolean done, Duration retryAfter) {
    static final Outcome DONE = new Outcome(true, Duration.ZERO);

    static Outcome retry(Duration after) {
      return new Outcome(false, after);
    }
  }

  public Terminator(
      KubernetesClient client,
      CloudProviderFacade cloud,
      ClusterState state,
      EventRecorder events,
      Clock clock) {
    this(client, cloud, state, events, clock, TerminationObserver.NONE);
  }

  public Terminator(
      KubernetesClient client,
      CloudProviderFacade cloud,
      ClusterState state,
      EventRecorder events,
      Clock clock,
      TerminationObserver observer) {
    this.client = client;
    this.cloud = cloud;
    this.state = state;
    this.events = events;
    this.clock = clock;
    this.observer = observer;
    this.drainer = new Drainer(client, state, events, observer);
  }

  public Outcome terminate(NodeClaim claim) {
    try {
      return step(claim);
    } catch (KubernetesClientException e) {
      LOG.warn("terminating NodeClaim {}: {}", claim.getMetadata().getName(), e.toString());
      return Outcome.retry(ERROR_RETRY);
    }
  }

  private Outcome step(NodeClaim claim) {
    Instant now = clock.instant();
    NodeClaimStatus status = claim.getStatus() == null ? new NodeClaimStatus() : claim.getStatus();
    claim.setStatus(status);
    if (status.getConditions() == null) {
      status.setConditions(new ArrayList<>());
    }
    String providerId = status.getProviderID();
    Optional<Node> node = nodeOf(claim);
    Optional<Instant> deadline = terminationDeadline(claim);
    boolean graceExpired = deadline.map(d -> !now.isBefore(d)).orElse(false);

    if (node.isPresent()) {
      taint(node.get());
      Drainer.Result drained = drainer.drain(node.get(), deadline, now);
      if (!drained.drained()) {
        setCondition(claim, Conditions.DRAINED, false, "Draining", drained.message(), now);
        return Outcome.retry(DRAIN_RETRY);
      }
      if (setCondition(claim, Conditions.DRAINED, true, "Drained", "", now)) {
        observer.nodeDrained(nodePool(claim));
      }
      List<String> attached = graceExpired ? List.of() : volumeAttachments(node.get());
      if (!attached.isEmpty()) {
        setCondition(
            claim,
            Conditions.VOLUMES_DETACHED,
            false,
            "AwaitingVolumeDetachment",
            "waiting for VolumeAttachments " + attached,
            now);
        return Outcome.retry(DRAIN_RETRY);
      }
      setCondition(claim, Conditions.VOLUMES_DETACHED, true, "VolumesDetached", "", now);
    }
    if (providerId != null) {
      setCondition(claim, Conditions.INSTANCE_TERMINATING, true, "InstanceTerminating", "", now);
      try {
        cloud.provider().delete(providerId);
        // Accepted: come back until the provider reports the instance gone.
        return Outcome.retry(DELETE_RETRY);
      } catch (NodeClaimNotFoundException gone) {
        // the instance no longer exists
      } catch (RuntimeException e) {
        LOG.warn(
            "terminating instance {} of NodeClaim {} failed: {}",
            providerId,
            claim.getMetadata().getName(),
            e.toString());
        events.warning(claim, "FailedTermination", String.valueOf(e.getMessage()));
        return Outcome.retry(ERROR_RETRY);
      }
    }
    node.ifPresent(this::releaseAndDelete);
    if (node.isPresent() && claim.getMetadata().getDeletionTimestamp() != null) {
      observer.nodeTerminated(
          nodePool(claim),
          Duration.between(Instant.parse(claim.getMetadata().getDeletionTimestamp()), now));
    }
    return Outcome.DONE;
  }

  private static String nodePool(NodeClaim claim) {
    Map<String, String> labels = claim.getMetadata().getLabels();
    String pool =
        labels == null ? null : labels.get(dev.dovetail.cloudprovider.WellKnownLabels.NODE_POOL);
    return pool == null ? "" : pool;
  }

  private Optional<Node> nodeOf(NodeClaim claim) {
    String pid = claim.getStatus().getProviderID();
    Optional<Node> byPid = state.nodeByProviderId(pid);
    if (byPid.isPresent() || claim.getStatus().getNodeName() == null) {
      return byPid;
    }
    return state.node(claim.getStatus().getNodeName());
  }

  /**
   * When the terminationGracePeriod runs out: recorded once on the NodeClaim so that every pass and
   * every replica agree, counted from the deletion timestamp.
   */
  Optional<Instant> terminationDeadline(NodeClaim claim) {
    Map<String, String> annotations = claim.getMetadata().getAnnotations();
    String recorded =
        annotations == null
            ? null
            : annotations.get(Karpenter.NODECLAIM_TERMINATION_TIMESTAMP_ANNOTATION);
    if (recorded != null) {
      try {
        return Optional.of(Instant.parse(recorded));
      } catch (java.time.format.DateTimeParseException e) {
        LOG.warn("ignoring unparsable {}: {}", recorded, e.toString());
      }
    }
    Optional<Duration> grace =
        claim.getSpec() == null || claim.getSpec().getTerminationGracePeriod() == null
            ? Optional.empty()
            : Durations.parse(claim.getSpec().getTerminationGracePeriod());
    if (grace.isEmpty()) {
      return Optional.empty();
    }
    String deletion = claim.getMetadata().getDeletionTimestamp();
    Instant from = deletion == null ? clock.instant() : Instant.parse(deletion);
    Instant deadline = from.plus(grace.get());
    client
        .resources(NodeClaim.class)
        .withName(claim.getMetadata().getName())
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            Serialization.asJson(
                Map.of(
                    "metadata",
                    Map.of(
                        "annotations",
                        Map.of(
                            Karpenter.NODECLAIM_TERMINATION_TIMESTAMP_ANNOTATION,
                            deadline.toString())))));
    return Optional.of(deadline);
  }

  private void taint(Node node) {
    if (dev.dovetail.state.NodeUtils.hasDisruptedTaint(node)) {
      return;
    }
    client
        .nodes()
        .withName(node.getMetadata().getName())
        .edit(
            n -> {
              List<Taint> t =
                  n.getSpec().getTaints() == null
                      ? new ArrayList<>()
                      : new ArrayList<>(n.getSpec().getTaints());
              if (t.stream().noneMatch(x -> Karpenter.DISRUPTED_TAINT_KEY.equals(x.getKey()))) {
                t.add(
                    new TaintBuilder()
                        .withKey(Karpenter.DISRUPTED_TAINT_KEY)
                        .withEffect("NoSchedule")
                        .build());
              }
              n.getSpec().setTaints(t);
              return n;
            });
  }

  private List<String> volumeAttachments(Node node) {
    List<String> out = new ArrayList<>();
    for (VolumeAttachment va : client.storage().v1().volumeAttachments().list().getItems()) {
      if (va.getSpec() != null && node.getMetadata().getName().equals(va.getSpec().getNodeName())) {
        out.add(va.getMetadata().getName());
      }
    }
    return out;
  }

  /** Removes Dovetail's finalizer from the Node and deletes it (idempotent). */
  static void releaseAndDelete(KubernetesClient client, Node node) {
    String name = node.getMetadata().getName();
    try {
      client
          .nodes()
          .withName(name)
          .edit(
              n -> {
                if (n.getMetadata().getFinalizers() != null) {
                  List<String> f = new ArrayList<>(n.getMetadata().getFinalizers());
                  f.remove(Karpenter.TERMINATION_FINALIZER);
                  n.getMetadata().setFinalizers(f);
                }
                return n;
              });
      client.nodes().withName(name).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private void releaseAndDelete(Node node) {
    releaseAndDelete(client, node);
  }

  /**
   * Sets a condition and writes the status when it changed (conflicts retry on the next pass); true
   * when it changed.
   */
  private boolean setCondition(
      NodeClaim claim, String type, boolean value, String reason, String message, Instant now) {
    boolean changed =
        dev.dovetail.kube.Conditions.set(
            claim.getStatus().getConditions(),
            type,
            value,
            reason,
            message,
            claim.getMetadata().getGeneration(),
            now);
    if (!changed) {
      return false;
    }
    try {
      NodeClaim written = client.resource(claim).updateStatus();
      claim.getMetadata().setResourceVersion(written.getMetadata().getResourceVersion());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409 && e.getCode() != 404) {
        throw e;
      }
      // Not written: the next pass sets (and reports) it again.
      return false;
    }
    return true;
  }
}
