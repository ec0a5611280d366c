package dev.dovetail.controllers.staticcapacity;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.controllers.disruption.model.TemplateNodeClaim;
import dev.dovetail.controllers.provisioning.Limits;
import dev.dovetail.controllers.provisioning.NodeClaimFactory;
import dev.dovetail.kube.Conditions;
import dev.dovetail.kube.EventRecorder;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.state.ClusterState;
import dev.dovetail.translate.NodePoolTranslator;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's static provisioning and deprovisioning (gate {@code StaticCapacity}): a NodePool with
 * {@code spec.replicas} keeps exactly that many NodeClaims, whatever the pods. Below the count it
 * launches NodeClaims from the template (never past {@code limits.nodes}); above it, it deletes the
 * surplus, not-yet-initialized and emptiest first. NodeClaims already leaving (deleted, or tainted
 * {@code karpenter.sh/disrupted} by a disruption command whose replacement is launching) do not
 * count. Drift, expiration and repair apply as to any NodeClaim; consolidation never does.
 */
public final class StaticCapacityController {
  private static final Logger LOG = LoggerFactory.getLogger(StaticCapacityController.class);

  /**
   * @param enabled whether static NodePools are acted on (upstream's StaticCapacity gate)
   * @param pollInterval how often replicas are compared with NodeClaims
   */
  public record Options(boolean enabled, Duration pollInterval) {
    public static final Options DEFAULT = new Options(false, Duration.ofSeconds(10));
  }

  /** What one pass did to one NodePool. */
  public record Result(String nodePool, List<String> created, List<String> deleted, String why) {}

  private final KubernetesClient client;
  private final ClusterState state;
  private final CloudProviderFacade cloud;
  private final EventRecorder events;
  private final Options options;
  private final NodePoolTranslator translator = new NodePoolTranslator();
  private final NodeClaimFactory factory;

  public StaticCapacityController(
      KubernetesClient client,
      ClusterState state,
      CloudProviderFacade cloud,
      EventRecorder events,
      Options options) {
    this.client = client;
    this.state = state;
    this.factory = new NodeClaimFactory(name -> state.nodeClaim(name).isPresent());
    this.cloud = cloud;
    this.events = events;
    this.options = options;
  }

  /** One pass over every static NodePool. */
  public List<Result> reconcileOnce() {
    List<Result> out = new ArrayList<>();
    if (!state.synced()) {
      return out;
    }
    for (NodePool pool : state.nodePools()) {
      if (pool.getSpec() == null
          || pool.getSpec().getReplicas() == null
          || pool.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      out.add(reconcile(pool));
    }
    return out;
  }

  private Result reconcile(NodePool pool) {
    String name = pool.getMetadata().getName();
    long replicas = pool.getSpec().getReplicas();
    List<NodeClaim> all = new ArrayList<>();
    List<NodeClaim> active = new ArrayList<>();
    for (NodeClaim c : state.nodeClaims()) {
      if (c.getMetadata().getLabels() == null
          || !name.equals(c.getMetadata().getLabels().get(WellKnownLabels.NODE_POOL))) {
        continue;
      }
      all.add(c);
      if (c.getMetadata().getDeletionTimestamp() == null && !disrupted(c)) {
        active.add(c);
      }
    }
    List<String> created = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    String why = null;
    if (active.size() < replicas) {
      why = scaleUp(pool, (int) (replicas - active.size()), all.size(), created);
    } else if (active.size() > replicas) {
      scaleDown(active, (int) (active.size() - replicas), deleted);
    }
    return new Result(name, created, deleted, why);
  }

  /** Launches up to {@code missing} NodeClaims; returns why it launched fewer, or null. */
  private String scaleUp(NodePool pool, int missing, int existing, List<String> created) {
    if (!cloud.nodeClassResolvable(pool)) {
      return "NodeClass of NodePool " + pool.getMetadata().getName() + " is not resolvable";
    }
    var template = translator.translate(pool, cloud.instanceTypes(pool), List.of(), null);
    for (int i = 0; i < missing; i++) {
      // Static NodePools may only limit nodes (API validation); every claim counts, leaving or not.
      List<String> exceeded =
          Limits.exceeded(pool, Resources.of("nodes", (long) existing + created.size() + 1));
      if (!exceeded.isEmpty()) {
        String why = "NodePool " + pool.getMetadata().getName() + " limit on nodes reached";
        events.warning(pool, "StaticCapacityLimited", why);
        return why;
      }
      Optional<NewNodeClaim> plan = TemplateNodeClaim.of(template, "static-" + i);
      if (plan.isEmpty()) {
        String why = "no instance type of NodePool " + pool.getMetadata().getName() + " fits";
        events.warning(pool, "StaticCapacityUnavailable", why);
        return why;
      }
      NodeClaim claim = factory.build(pool, plan.get());
      try {
        client.resource(claim).create();
        created.add(claim.getMetadata().getName());
        LOG.info(
            "static NodePool {}: launched NodeClaim {} toward {} replicas",
            pool.getMetadata().getName(),
            claim.getMetadata().getName(),
            pool.getSpec().getReplicas());
      } catch (RuntimeException e) {
        LOG.warn("static NodePool {}: creating NodeClaim: {}", pool.getMetadata().getName(), e);
        return "creating a NodeClaim failed: " + e.getMessage();
      }
    }
    return null;
  }

  /** Deletes the surplus: not-yet-initialized first, then the emptiest, then the newest. */
  private void scaleDown(List<NodeClaim> active, int surplus, List<String> deleted) {
    List<NodeClaim> order = new ArrayList<>(active);
    order.sort(
        Comparator.comparing((NodeClaim c) -> initialized(c))
            .thenComparingInt(this::podCount)
            .thenComparing(
                (NodeClaim c) ->
                    c.getMetadata().getCreationTimestamp() == null
                        ? ""
                        : c.getMetadata().getCreationTimestamp(),
                Comparator.reverseOrder()));
    for (NodeClaim c : order.subList(0, surplus)) {
      try {
        dev.dovetail.controllers.nodeclaim.NodeClaimDeletion.announce(
            events,
            c,
            "ScaledDown",
            "staticcapacity",
            "surplus over the static NodePool's replicas");
        client.resource(c).delete();
        deleted.add(c.getMetadata().getName());
        LOG.info("static NodePool: deleted surplus NodeClaim {}", c.getMetadata().getName());
      } catch (RuntimeException e) {
        LOG.warn("deleting surplus NodeClaim {}: {}", c.getMetadata().getName(), e.toString());
      }
    }
  }

  private static boolean initialized(NodeClaim c) {
    return c.getStatus() != null
        && Conditions.isTrue(c.getStatus().getConditions(), Karpenter.Conditions.INITIALIZED);
  }

  private int podCount(NodeClaim c) {
    return node(c).map(n -> state.podsOn(n.getMetadata().getName()).size()).orElse(0);
  }

  private Optional<Node> node(NodeClaim c) {
    String pid = c.getStatus() == null ? null : c.getStatus().getProviderID();
    return pid == null ? Optional.empty() : state.nodeByProviderId(pid);
  }

  /** Tainted by a disruption command: its replacement is on the way, so it no longer counts. */
  private boolean disrupted(NodeClaim c) {
    return node(c).map(dev.dovetail.state.NodeUtils::hasDisruptedTaint).orElse(false);
  }
}
