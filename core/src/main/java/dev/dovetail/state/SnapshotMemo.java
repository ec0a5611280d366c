package dev.dovetail.state;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.scheduling.ExistingNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the last snapshot made of each registered node and each NodeClaim, reused by the next one
 * while nothing it was made from changed. A provisioning pass at 20,000 pods re-translated ~6,000
 * nodes with their pods and sized ~5,000 NodeClaims in flight from their options, 0.6–2.2 s a pass
 * for objects that mostly had not changed since the pass before (upstream's cluster state likewise
 * keeps each node's view and updates it from events).
 *
 * <p>"Unchanged" is the same uid and resourceVersion (an object built in memory, without a
 * resourceVersion, is compared by identity: it never changes). A node's entry is reused only while
 * the node, its NodeClaim's deletion, and the very pods on it (in the same order) are the same
 * versions, and only when every pod's translation depends on the pod alone (a PVC's topology or a
 * namespaceSelector can change without the pod). An in-flight claim's size is reused while its
 * pool's instance types keep their names and allocatable. Entries hold versions, not the objects:
 * at 50,000 pods under {@code -Xmx512m} an old version of every pod updated since the last pass
 * would be heap the informers had already let go.
 *
 * <p>One build at a time: {@link #begin} starts one, lookups keep what they hit or make, {@link
 * #end} drops everything the build did not touch, so the memo holds what one snapshot holds.
 */
public final class SnapshotMemo {
  private record NodeEntry(
      Object[] node, Object[] pods, boolean claimDeleting, ExistingNode existing) {}

  private record UsageEntry(Object[] claim, Resources usage) {}

  private record ShapeEntry(Object[] claim, long typesVersion, ExistingNode shape) {}

  private Map<String, NodeEntry> nodes = new HashMap<>();
  private Map<String, UsageEntry> usage = new HashMap<>();
  private Map<String, ShapeEntry> shapes = new HashMap<>();
  private Map<String, NodeEntry> nextNodes = new HashMap<>();
  private Map<String, UsageEntry> nextUsage = new HashMap<>();
  private Map<String, ShapeEntry> nextShapes = new HashMap<>();

  private final Map<String, List<InstanceType>> poolTypes = new HashMap<>();
  private final Map<String, Long> poolTypesVersion = new HashMap<>();
  private long versions;

  /** Starts a build over the pools' current instance types. */
  void begin(Map<String, List<InstanceType>> typesByPool) {
    nextNodes = new HashMap<>();
    nextUsage = new HashMap<>();
    nextShapes = new HashMap<>();
    poolTypes.keySet().retainAll(typesByPool.keySet());
    poolTypesVersion.keySet().retainAll(typesByPool.keySet());
    typesByPool.forEach(
        (pool, types) -> {
          List<InstanceType> before = poolTypes.get(pool);
          if (before == null || !sameSizes(before, types)) {
            poolTypesVersion.put(pool, ++versions);
          }
          poolTypes.put(pool, types);
        });
  }

  /** Ends the build: what it did not look up is forgotten. */
  void end() {
    nodes = nextNodes;
    usage = nextUsage;
    shapes = nextShapes;
  }

  /**
   * The registered node's engine form, made by {@code make} unless the last build's still holds.
   */
  ExistingNode node(Node node, List<Pod> pods, boolean claimDeleting, Supplier<ExistingNode> make) {
    String name = node.getMetadata().getName();
    NodeEntry e = nodes.get(name);
    if (e == null
        || !same(e.node(), 0, node)
        || e.claimDeleting() != claimDeleting
        || !samePods(e.pods(), pods)) {
      ExistingNode made = make.get();
      if (!cacheable(pods)) {
        return made;
      }
      e = new NodeEntry(versions(List.of(node)), versions(pods), claimDeleting, made);
    }
    nextNodes.put(name, e);
    return e.existing();
  }

  /** What the claim counts towards its pool's limits. */
  Resources usage(NodeClaim claim, Supplier<Resources> make) {
    String name = claim.getMetadata().getName();
    UsageEntry e = usage.get(name);
    if (e == null || !same(e.claim(), 0, claim)) {
      e = new UsageEntry(versions(List.of(claim)), make.get());
    }
    nextUsage.put(name, e);
    return e.usage();
  }

  /**
   * The in-flight claim's engine form with no pods on it, made by {@code make} unless the claim and
   * its pool's instance types are as they were.
   */
  ExistingNode inFlightShape(NodeClaim claim, String pool, Supplier<ExistingNode> make) {
    String name = claim.getMetadata().getName();
    long version = pool == null ? 0 : poolTypesVersion.getOrDefault(pool, 0L);
    ShapeEntry e = shapes.get(name);
    if (e == null || !same(e.claim(), 0, claim) || e.typesVersion() != version) {
      e = new ShapeEntry(versions(List.of(claim)), version, make.get());
    }
    nextShapes.put(name, e);
    return e.shape();
  }

  private static boolean cacheable(List<Pod> pods) {
    for (Pod p : pods) {
      if (!dev.dovetail.translate.PodTranslator.translatesAlone(p)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Each object's version, two slots apiece: its uid and resourceVersion, or the object itself and
   * null when it has no resourceVersion.
   */
  private static Object[] versions(List<? extends HasMetadata> objects) {
    Object[] out = new Object[objects.size() * 2];
    for (int i = 0; i < objects.size(); i++) {
      ObjectMeta m = objects.get(i).getMetadata();
      if (m.getResourceVersion() == null) {
        out[2 * i] = objects.get(i);
      } else {
        out[2 * i] = m.getUid();
        out[2 * i + 1] = m.getResourceVersion();
      }
    }
    return out;
  }

  /** Whether {@code o} is the version held at {@code index} of {@code versions}. */
  private static boolean same(Object[] versions, int index, HasMetadata o) {
    String rv = o.getMetadata().getResourceVersion();
    if (rv == null) {
      return versions[2 * index] == o;
    }
    return rv.equals(versions[2 * index + 1])
        && Objects.equals(versions[2 * index], o.getMetadata().getUid());
  }

  private static boolean samePods(Object[] versions, List<Pod> pods) {
    if (versions.length != pods.size() * 2) {
      return false;
    }
    for (int i = 0; i < pods.size(); i++) {
      if (!same(versions, i, pods.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether two lists of a pool's types size a claim alike: same names, same allocatable. */
  private static boolean sameSizes(List<InstanceType> a, List<InstanceType> b) {
    if (a == b) {
      return true;
    }
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      InstanceType x = a.get(i);
      InstanceType y = b.get(i);
      if (x != y && !(x.name().equals(y.name()) && x.allocatable().equals(y.allocatable()))) {
        return false;
      }
    }
    return true;
  }
}
