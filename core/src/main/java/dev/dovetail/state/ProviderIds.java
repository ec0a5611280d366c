package dev.dovetail.state;

import dev.dovetail.apis.v1.NodeClaim;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Node and the NodeClaim of each provider ID, in one map kept by the cluster state's informer
 * handlers. It replaces three fabric8 informer indexes (Nodes in the cluster state, Nodes and
 * NodeClaims in the NodeClaim lifecycle's caches), each of which kept a concurrent key set per
 * provider ID (~230 bytes for its one entry): one entry here answers both look-ups.
 *
 * <p>A provider ID is unique to one instance, so one name per side is kept; should two objects
 * claim the same ID the last one seen wins, and each object only ever clears its own name.
 */
final class ProviderIds {
  /** Who has the provider ID: a Node's name, a NodeClaim's name, either possibly null. */
  private record Holders(String node, String claim) {
    Holders withNode(String name) {
      return new Holders(name, claim);
    }

    Holders withClaim(String name) {
      return new Holders(node, name);
    }

    boolean empty() {
      return node == null && claim == null;
    }
  }

  private final ConcurrentHashMap<String, Holders> byId = new ConcurrentHashMap<>();

  /** A Node was added ({@code before} null) or updated: its provider ID may be new or changed. */
  void nodeSeen(Node before, Node after) {
    String name = after.getMetadata().getName();
    String was = providerId(before);
    String now = providerId(after);
    if (was != null && !was.equals(now)) {
      clear(was, name, true);
    }
    if (now != null) {
      byId.compute(now, (id, h) -> h == null ? new Holders(name, null) : h.withNode(name));
    }
  }

  void nodeGone(Node node) {
    String pid = providerId(node);
    if (pid != null) {
      clear(pid, node.getMetadata().getName(), true);
    }
  }

  /** A NodeClaim was added ({@code before} null) or updated: the launch writes its provider ID. */
  void claimSeen(NodeClaim before, NodeClaim after) {
    String name = after.getMetadata().getName();
    String was = providerId(before);
    String now = providerId(after);
    if (was != null && !was.equals(now)) {
      clear(was, name, false);
    }
    if (now != null) {
      byId.compute(now, (id, h) -> h == null ? new Holders(null, name) : h.withClaim(name));
    }
  }

  void claimGone(NodeClaim claim) {
    String pid = providerId(claim);
    if (pid != null) {
      clear(pid, claim.getMetadata().getName(), false);
    }
  }

  /** The name of the Node with this provider ID. */
  Optional<String> node(String providerId) {
    Holders h = providerId == null ? null : byId.get(providerId);
    return h == null ? Optional.empty() : Optional.ofNullable(h.node());
  }

  /** The name of the NodeClaim with this provider ID. */
  Optional<String> claim(String providerId) {
    Holders h = providerId == null ? null : byId.get(providerId);
    return h == null ? Optional.empty() : Optional.ofNullable(h.claim());
  }

  /** How many provider IDs are held (for tests: nothing is left behind once both sides go). */
  int size() {
    return byId.size();
  }

  /** Drops {@code name} from the ID's node or claim side, if it still holds that side. */
  private void clear(String pid, String name, boolean node) {
    byId.computeIfPresent(
        pid,
        (id, h) -> {
          if (!name.equals(node ? h.node() : h.claim())) {
            return h; // another object took the ID since; it is not ours to drop
          }
          Holders left = node ? h.withNode(null) : h.withClaim(null);
          return left.empty() ? null : left;
        });
  }

  static String providerId(Node n) {
    return n == null || n.getSpec() == null ? null : n.getSpec().getProviderID();
  }

  static String providerId(NodeClaim c) {
    return c == null || c.getStatus() == null ? null : c.getStatus().getProviderID();
  }
}
