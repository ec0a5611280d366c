package dev.dovetail.controllers.nodepool;

import dev.dovetail.apis.v1.Karpenter.Conditions;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apis.v1.NodePoolStatus;
import dev.dovetail.apis.v1.RuntimeValidation;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.NodePoolHealth;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Writes each NodePool's status from what exists (Karpenter's nodepool counter, readiness and
 * validation controllers): {@code status.resources} summed over its NodeClaims' capacity, {@code
 * status.nodes}, and the conditions ValidationSucceeded (upstream's run-time checks),
 * NodeClassReady (the NodeClass resolves) and Ready (both), and NodeRegistrationHealthy (upstream's
 * nodepool registrationhealth controller, from {@link NodePoolHealth}: Unknown when the NodePool or
 * its NodeClass changes, False once enough launches failed to register, True on success; not part
 * of Ready, as upstream). A change of any NodeClaim or NodePool marks the state dirty; a single
 * thread recomputes at most every {@code period} and writes only what changed.
 */
public final class NodePoolStatusController {

  private final KubernetesClient client;
  private final ClusterState state;
  private final CloudProviderFacade cloud;
  private final Clock clock;
  private final NodePoolHealth health;
  private final AtomicBoolean dirty = new AtomicBoolean(true);

  public NodePoolStatusController(
      KubernetesClient client, ClusterState state, CloudProviderFacade cloud, Clock clock) {
    this(client, state, cloud, clock, new NodePoolHealth());
  }

  /**
   * @param health registration outcomes the NodeClaim lifecycle records (NodeRegistrationHealthy)
   */
  public NodePoolStatusController(
      KubernetesClient client,
      ClusterState state,
      CloudProviderFacade cloud,
      Clock clock,
      NodePoolHealth health) {
    this.client = client;
    this.state = state;
    this.cloud = cloud;
    this.clock = clock;
    this.health = health;
  }

  /** Marks the NodePools dirty on every NodeClaim or NodePool event; call once. */
  public NodePoolStatusController watch() {
    state.addListener(
        obj -> {
          if (obj instanceof NodeClaim || obj instanceof NodePool) {
            dirty.set(true);
          }
        });
    return this;
  }

  /** One pass: recomputes every NodePool's status if something changed since the last pass. */
  public void reconcileIfDirty() {
    if (dirty.getAndSet(false)) {
      try {
        reconcileAll();
      } catch (RuntimeException e) {
        dirty.set(true);
        throw e;
      }
    }
  }

  /** Recompute at the next pass (a NodeClass's readiness changed). */
  public void markDirty() {
    dirty.set(true);
  }

  /** One pass over every NodePool. Public for tests. */
  public void reconcileAll() {
    Map<String, Resources> resources = new HashMap<>();
    Map<String, Long> nodes = new HashMap<>();
    for (NodeClaim c : state.nodeClaims()) {
      String pool =
          c.getMetadata().getLabels() == null
              ? null
              : c.getMetadata().getLabels().get(WellKnownLabels.NODE_POOL);
      if (pool == null) {
        continue;
      }
      nodes.merge(pool, 1L, Long::sum);
      if (c.getStatus() != null && c.getStatus().getCapacity() != null) {
        resources.merge(
            pool, CloudProviderFacade.resources(c.getStatus().getCapacity()), Resources::add);
      }
    }
    for (NodePool pool : state.nodePools()) {
      if (pool.getMetadata().getDeletionTimestamp() == null) {
        String name = pool.getMetadata().getName();
        reconcile(
            pool, resources.getOrDefault(name, Resources.EMPTY), nodes.getOrDefault(name, 0L));
      }
    }
  }

  private void reconcile(NodePool cached, Resources used, long nodeCount) {
    NodePool pool = client.getKubernetesSerialization().clone(cached);
    NodePoolStatus status = pool.getStatus() == null ? new NodePoolStatus() : pool.getStatus();
    pool.setStatus(status);
    if (status.getConditions() == null) {
      status.setConditions(new ArrayList<>());
    }
    boolean changed = false;
    Map<String, Quantity> quantities = CloudProviderFacade.quantities(used);
    if (!sameQuantities(status.getResources(), quantities)) {
      status.setResources(quantities);
      changed = true;
    }
    if (!Objects.equals(status.getNodes(), nodeCount)) {
      status.setNodes(nodeCount);
      changed = true;
    }
    Instant now = clock.instant();
    Long gen = pool.getMetadata().getGeneration();
    List<RuntimeValidation.Violation> violations = RuntimeValidation.validate(pool);
    boolean valid = violations.isEmpty();
    changed |=
        dev.dovetail.kube.Conditions.set(
            status.getConditions(),
            Conditions.VALIDATION_SUCCEEDED,
            valid,
            valid ? "ValidationSucceeded" : "ValidationFailed",
            violations.stream()
                .map(v -> v.path() + ": " + v.message())
                .collect(Collectors.joining("; ")),
            gen,
            now);
    CloudProviderFacade.NodeClassReadiness readiness = cloud.nodeClassReadiness(pool);
    boolean nodeClassReady = readiness.ready();
    changed |=
        dev.dovetail.kube.Conditions.set(
            status.getConditions(),
            Conditions.NODE_CLASS_READY,
            nodeClassReady,
            readiness.reason(),
            readiness.message(),
            gen,
            now);
    boolean ready = valid && nodeClassReady;
    changed |=
        dev.dovetail.kube.Conditions.set(
            status.getConditions(),
            Conditions.READY,
            ready,
            ready ? "Ready" : "NotReady",
            ready
                ? ""
                : (valid ? "" : "ValidationSucceeded=False ")
                    + (nodeClassReady ? "" : "NodeClassReady=False"),
            gen,
            now);
    changed |= registrationHealth(pool, status, gen, now);
    if (!changed) {
      return;
    }
    try {
      client.resource(pool).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409 && e.getCode() != 404) {
        throw e;
      }
      dirty.set(true); // changed meanwhile: the next pass reads the new version
    }
  }

  /**
   * NodeRegistrationHealthy as upstream: Unknown (outcomes forgotten) when the condition is missing
   * or the NodePool's generation or its NodeClass's generation moved on; else what the recorded
   * outcomes call for. A NodePool whose NodeClass the provider does not read is left alone.
   */
  private boolean registrationHealth(NodePool pool, NodePoolStatus status, Long gen, Instant now) {
    Optional<Object> nodeClass =
        cloud.nodeClass(pool.getSpec().getTemplate().getSpec().getNodeClassRef());
    if (nodeClass.isEmpty() || !(nodeClass.get() instanceof HasMetadata nc)) {
      return false;
    }
    String uid = pool.getMetadata().getUid();
    if (uid == null) {
      return false;
    }
    String type = Conditions.NODE_REGISTRATION_HEALTHY;
    Optional<Condition> current = dev.dovetail.kube.Conditions.get(status.getConditions(), type);
    if (health.status(uid) == NodePoolHealth.Status.UNKNOWN) {
      current.ifPresent(c -> health.hydrate(uid, c.getStatus())); // after a restart
    }
    Long nodeClassGen = nc.getMetadata().getGeneration();
    boolean changed = false;
    if (current.isEmpty()
        || !Objects.equals(status.getNodeClassObservedGeneration(), nodeClassGen)
        || !Objects.equals(gen, current.get().getObservedGeneration())) {
      health.reset(uid);
      changed |=
          dev.dovetail.kube.Conditions.set(
              status.getConditions(),
              type,
              "Unknown",
              "AwaitingReconciliation",
              "object is awaiting reconciliation",
              gen,
              now);
    }
    if (!Objects.equals(status.getNodeClassObservedGeneration(), nodeClassGen)) {
      status.setNodeClassObservedGeneration(nodeClassGen);
      changed = true;
    }
    Optional<NodePoolHealth.Verdict> verdict = health.verdict(uid);
    if (verdict.isPresent()) {
      NodePoolHealth.Verdict v = verdict.get();
      changed |=
          dev.dovetail.kube.Conditions.set(
              status.getConditions(), type, v.healthy(), v.reason(), v.message(), gen, now);
    }
    return changed;
  }

  private static boolean sameQuantities(Map<String, Quantity> a, Map<String, Quantity> b) {
    if (a == null) {
      return b.isEmpty();
    }
    return CloudProviderFacade.resources(a).equals(CloudProviderFacade.resources(b));
  }
}
