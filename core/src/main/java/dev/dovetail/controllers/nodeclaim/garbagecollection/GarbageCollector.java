package dev.dovetail.controllers.nodeclaim.garbagecollection;

import dev.dovetail.apis.v1.Karpenter.Conditions;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.kube.EventRecorder;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.NodeUtils;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Garbage collection both ways (Karpenter's nodeclaim/garbagecollection plus the providers' leaked
 * instance collection):
 *
 * <ul>
 *   <li>an instance the provider lists as launched for this cluster (it names a NodeClaim in its
 *       ownership tag) whose NodeClaim does not exist, older than a grace period (a claim may be
 *       created and not yet in the cache), is terminated;
 *   <li>a Registered NodeClaim whose instance is no longer listed, and whose Node is not Ready, is
 *       deleted (its termination then releases the Node).
 * </ul>
 *
 * An instance without an ownership tag ({@link Instance#nodeClaim()} null) is never touched: it is
 * not ours. Providers list only instances tagged for this cluster.
 */
public final class GarbageCollector {
  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(2);
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final CloudProvider provider;
  private final ClusterState state;
  private final EventRecorder events;
  private final Clock clock;
  private final Duration grace;

  /** What one pass did. */
  public record Result(List<String> terminatedInstances, List<String> deletedNodeClaims) {}

  public GarbageCollector(
      KubernetesClient client,
      CloudProvider provider,
      ClusterState state,
      EventRecorder events,
      Clock clock,
      Duration grace) {
    this.client = client;
    this.provider = provider;
    this.state = state;
    this.events = events;
    this.clock = clock;
    this.grace = grace;
  }

  /** One pass. Public so tests drive it with their clock. */
  public Result collect() {
    if (!state.synced()) {
      return new Result(List.of(), List.of());
    }
    Instant now = clock.instant();
    List<Instance> instances = provider.list();
    Set<String> claimNames = new HashSet<>();
    for (NodeClaim c : state.nodeClaims()) {
      claimNames.add(c.getMetadata().getName());
    }
    List<String> terminated = new ArrayList<>();
    for (Instance i : instances) {
      if (i.nodeClaim() == null || claimNames.contains(i.nodeClaim())) {
        continue; // not ours, or accounted for
      }
      if (i.launchTime() != null && now.isBefore(i.launchTime().plus(grace))) {
        continue; // its NodeClaim may not be in the cache yet
      }
      // The cache may lag the API: confirm the claim is really gone before acting.
      if (client.resources(NodeClaim.class).withName(i.nodeClaim()).get() != null) {
        continue;
      }
      try {
        provider.delete(i.providerId());
      } catch (NodeClaimNotFoundException gone) {
        // already going
      }
      terminated.add(i.providerId());
      LOG.info(
          "garbage collected instance {} of missing NodeClaim {}", i.providerId(), i.nodeClaim());
    }

    Set<String> listed = new HashSet<>();
    instances.forEach(i -> listed.add(i.providerId()));
    List<String> deleted = new ArrayList<>();
    for (NodeClaim c : state.nodeClaims()) {
      if (c.getMetadata().getDeletionTimestamp() != null
          || c.getStatus() == null
          || c.getStatus().getProviderID() == null
          || !dev.dovetail.kube.Conditions.isTrue(
              c.getStatus().getConditions(), Conditions.REGISTERED)
          || listed.contains(c.getStatus().getProviderID())) {
        continue;
      }
      boolean nodeReady =
          state
              .nodeByProviderId(c.getStatus().getProviderID())
              .map(NodeUtils::isReady)
              .orElse(false);
      if (nodeReady) {
        continue;
      }
      events.warning(
          c,
          "GarbageCollected",
          "instance " + c.getStatus().getProviderID() + " no longer exists; deleting NodeClaim");
      dev.dovetail.controllers.nodeclaim.NodeClaimDeletion.announce(
          events,
          c,
          "GarbageCollected",
          "nodeclaim.garbagecollection",
          "instance " + c.getStatus().getProviderID() + " no longer exists");
      try {
        client.resources(NodeClaim.class).withName(c.getMetadata().getName()).delete();
        deleted.add(c.getMetadata().getName());
      } catch (KubernetesClientException e) {
        LOG.warn("deleting NodeClaim {}: {}", c.getMetadata().getName(), e.toString());
      }
    }
    return new Result(terminated, deleted);
  }
}
