package dev.dovetail.controllers.node.termination;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a Node deleted by hand ({@code kubectl delete node}) go through the same termination as a
 * deleted NodeClaim: the Node carries the {@code karpenter.sh/termination} finalizer, so it stays
 * while this controller deletes its NodeClaim, whose finalizer runs the {@link Terminator} (drain,
 * volumes, instance) and finally releases and deletes the Node. A Node with the finalizer but no
 * NodeClaim (e.g. left from a previous install) is released at once: there is nothing to terminate
 * through the provider.
 */
public final class NodeTerminationController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeTerminationController.class);
  static final Duration RESYNC = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final ClusterState state;
  private final ScheduledExecutorService executor;
  private final Set<String> queued = ConcurrentHashMap.newKeySet();

  public NodeTerminationController(KubernetesClient client, ClusterState state) {
    this.client = client;
    this.state = state;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "node-termination");
              t.setDaemon(true);
              return t;
            });
  }

  private volatile dev.dovetail.controllers.Liveness.Loop heartbeat;

  /**
   * Reports each resync and each Node handled to the liveness probe; call before {@link #start}.
   * The resync runs on the same thread as the work, so a dead or stuck thread shows.
   */
  public NodeTerminationController withHeartbeat(dev.dovetail.controllers.Liveness.Loop loop) {
    this.heartbeat = loop;
    return this;
  }

  private void beat(Runnable pass) {
    var beat = heartbeat;
    if (beat == null) {
      pass.run();
    } else {
      beat.pass(pass);
    }
  }

  public NodeTerminationController start() {
    state.addListener(
        obj -> {
          if (obj instanceof Node n && deleting(n)) {
            enqueue(n.getMetadata().getName());
          }
        });
    executor.scheduleWithFixedDelay(
        this::resync, RESYNC.toMillis(), RESYNC.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private static boolean deleting(Node n) {
    return n.getMetadata().getDeletionTimestamp() != null
        && n.getMetadata().getFinalizers() != null
        && n.getMetadata().getFinalizers().contains(Karpenter.TERMINATION_FINALIZER);
  }

  private void enqueue(String name) {
    if (queued.add(name)) {
      executor.execute(
          () -> {
            queued.remove(name);
            beat(
                () ->
                    state
                        .node(name)
                        .filter(NodeTerminationController::deleting)
                        .ifPresent(this::handle));
          });
    }
  }

  private void resync() {
    beat(
        () -> {
          try {
            for (Node n : state.nodes()) {
              if (deleting(n)) {
                enqueue(n.getMetadata().getName());
              }
            }
          } catch (RuntimeException e) {
            // an exception escaping would end the schedule for good
            LOG.warn("node termination resync failed: {}", e.toString());
          }
        });
  }

  /** One pass for a Node being deleted. Visible for tests. */
  void handle(Node node) {
    try {
      Optional<NodeClaim> claim = claimOf(node);
      if (claim.isEmpty()) {
        LOG.info("node {} has no NodeClaim; releasing it", node.getMetadata().getName());
        Terminator.releaseAndDelete(client, node);
      } else if (claim.get().getMetadata().getDeletionTimestamp() == null) {
        LOG.info(
            "node {} deleted; deleting its NodeClaim {}",
            node.getMetadata().getName(),
            claim.get().getMetadata().getName());
        dev.dovetail.controllers.nodeclaim.NodeClaimDeletion.announce(
            null, claim.get(), "NodeDeleted", "node.termination", "its Node was deleted");
        client.resources(NodeClaim.class).withName(claim.get().getMetadata().getName()).delete();
      }
      // else: the NodeClaim's termination is under way and will release the Node.
    } catch (KubernetesClientException e) {
      LOG.warn("terminating node {}: {}", node.getMetadata().getName(), e.toString());
    }
  }

  private Optional<NodeClaim> claimOf(Node node) {
    String pid = node.getSpec() == null ? null : node.getSpec().getProviderID();
    if (pid != null) {
      for (NodeClaim c : state.nodeClaims()) {
        if (c.getStatus() != null && pid.equals(c.getStatus().getProviderID())) {
          return Optional.of(c);
        }
      }
    }
    if (node.getMetadata().getOwnerReferences() != null) {
      for (OwnerReference ref : node.getMetadata().getOwnerReferences()) {
        if ("NodeClaim".equals(ref.getKind())) {
          // Not in the cache yet, or already gone: ask the API.
          return Optional.ofNullable(
              client.resources(NodeClaim.class).withName(ref.getName()).get());
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
