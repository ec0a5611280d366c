package dev.dovetail.controllers.node.health;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.RepairPolicy;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.kube.EventRecorder;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node repair (Karpenter's node/health): a node whose condition matches one of the provider's
 * {@link RepairPolicy repair policies} for longer than the policy's toleration is replaced by
 * deleting its NodeClaim, forcefully (the termination timestamp is set to now, so draining does not
 * wait for the grace period). Repair stops for a NodePool when more than 20% of its nodes are
 * unhealthy at once: that smells of a cluster-wide problem that replacing nodes will not fix.
 */
public final class NodeRepairController {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRepairController.class);

  /** Upstream: repair is blocked when more than 20% of a NodePool's nodes are unhealthy. */
  public static final double MAX_UNHEALTHY_SHARE = 0.20;

  private final KubernetesClient client;
  private final ClusterState state;
  private final CloudProviderFacade cloud;
  private final EventRecorder events;
  private final Clock clock;

  public NodeRepairController(
      KubernetesClient client,
      ClusterState state,
      CloudProviderFacade cloud,
      EventRecorder events,
      Clock clock) {
    this.client = client;
    this.state = state;
    this.cloud = cloud;
    this.events = events;
    this.clock = clock;
  }

  /** One pass; returns the NodeClaims deleted for repair. */
  public synchronized List<String> reconcileOnce() {
    List<RepairPolicy> policies = cloud.provider().repairPolicies();
    if (policies.isEmpty() || !state.synced()) {
      return List.of();
    }
    Instant now = clock.instant();
    Map<String, NodeClaim> claimByProviderId = new HashMap<>();
    for (NodeClaim c : state.nodeClaims()) {
      if (c.getStatus() != null && c.getStatus().getProviderID() != null) {
        claimByProviderId.put(c.getStatus().getProviderID(), c);
      }
    }
    Map<String, Integer> total = new HashMap<>();
    Map<String, List<Unhealthy>> unhealthy = new HashMap<>();
    for (Node node : state.nodes()) {
      String pool =
          node.getMetadata().getLabels() == null
              ? null
              : node.getMetadata().getLabels().get(WellKnownLabels.NODE_POOL);
      NodeClaim claim =
          node.getSpec() == null ? null : claimByProviderId.get(node.getSpec().getProviderID());
      if (pool == null || claim == null) {
        continue;
      }
      total.merge(pool, 1, Integer::sum);
      Optional<String> why = unhealthy(node, policies, now);
      if (why.isPresent()) {
        unhealthy
            .computeIfAbsent(pool, k -> new ArrayList<>())
            .add(new Unhealthy(node, claim, why.get()));
      }
    }
    List<String> repaired = new ArrayList<>();
    for (Map.Entry<String, List<Unhealthy>> e : unhealthy.entrySet()) {
      String pool = e.getKey();
      int n = total.getOrDefault(pool, 0);
      int threshold = (int) Math.ceil(n * MAX_UNHEALTHY_SHARE);
      if (e.getValue().size() > threshold) {
        String msg =
            String.format(
                "more than %d%% of NodePool %s's nodes are unhealthy (%d of %d); not repairing",
                (int) (MAX_UNHEALTHY_SHARE * 100), pool, e.getValue().size(), n);
        LOG.warn(msg);
        state.nodePools().stream()
            .filter(p -> p.getMetadata().getName().equals(pool))
            .findFirst()
            .ifPresent(p -> events.warning(p, "NodeRepairBlocked", msg));
        continue;
      }
      for (Unhealthy u : e.getValue()) {
        if (u.claim.getMetadata().getDeletionTimestamp() != null) {
          continue;
        }
        String name = u.claim.getMetadata().getName();
        LOG.info(
            "repairing node {} (NodeClaim {}): {}", u.node.getMetadata().getName(), name, u.why);
        events.warning(u.claim, "NodeRepair", "Replacing unhealthy node: " + u.why);
        try {
          client
              .resources(NodeClaim.class)
              .withName(name)
              .edit(
                  c -> {
                    if (c.getMetadata().getAnnotations() == null) {
                      c.getMetadata().setAnnotations(new HashMap<>());
                    }
                    c.getMetadata()
                        .getAnnotations()
                        .put(Karpenter.NODECLAIM_TERMINATION_TIMESTAMP_ANNOTATION, now.toString());
                    return c;
                  });
        } catch (RuntimeException ex) {
          LOG.debug("annotating {}: {}", name, ex.toString());
        }
        state
            .nodeClaim(name)
            .ifPresent(
                claim ->
                    dev.dovetail.controllers.nodeclaim.NodeClaimDeletion.announce(
                        events, claim, "Unhealthy", "node.health", "node repair"));
        client.resources(NodeClaim.class).withName(name).delete();
        repaired.add(name);
      }
    }
    return repaired;
  }

  private record Unhealthy(Node node, NodeClaim claim, String why) {}

  static Optional<String> unhealthy(Node node, List<RepairPolicy> policies, Instant now) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    for (NodeCondition c : node.getStatus().getConditions()) {
      for (RepairPolicy p : policies) {
        if (!p.conditionType().equals(c.getType()) || !p.conditionStatus().equals(c.getStatus())) {
          continue;
        }
        Instant since =
            c.getLastTransitionTime() == null ? now : Instant.parse(c.getLastTransitionTime());
        if (!now.isBefore(since.plus(p.toleration()))) {
          return Optional.of(
              c.getType()
                  + "="
                  + c.getStatus()
                  + " since "
                  + since
                  + " (toleration "
                  + p.toleration()
                  + ")");
        }
      }
    }
    return Optional.empty();
  }
}
