// Just over 500 lines: every informer cache the controllers read, with its handlers and indexes;
// the handlers keep the derived state (usage, nominations, provider ids) consistent in one place.
package dev.dovetail.state;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.kube.Conditions;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.translate.PodTranslator;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An informer-backed, in-memory view of the cluster that controllers and the scheduling engine read
 * without API calls. It also remembers which pods were nominated to which NodeClaim, so that a pod
 * whose machine is still on its way is not provisioned for twice.
 */
public final class ClusterState implements ClusterView, AutoCloseable {
  static final String BY_NODE = "byNode";

  private final Clock clock;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<NodeClaim> nodeClaims;
  private final SharedCopies<NodeClaim> nodeClaimCopies = new SharedCopies<>();
  private final SharedIndexInformer<NodePool> nodePools;
  private final SharedIndexInformer<DaemonSet> daemonSets;
  private final SharedIndexInformer<PodDisruptionBudget> pdbs;
  private final SharedIndexInformer<PersistentVolume> persistentVolumes;
  private final SharedIndexInformer<PersistentVolumeClaim> persistentVolumeClaims;
  private final SharedIndexInformer<StorageClass> storageClasses;
  private final Map<String, Nomination> nominations = new ConcurrentHashMap<>();
  private final List<Consumer<Object>> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<Pod>> podDeletionListeners = new CopyOnWriteArrayList<>();

  /**
   * Bumped by every informer event (any watched kind), before listeners hear of it: a periodic
   * controller that remembers the value its last pass saw can tell that nothing it reads from this
   * cache changed since, and skip re-reading it all (upstream's cluster-state consolidation state).
   */
  private final java.util.concurrent.atomic.AtomicLong generation =
      new java.util.concurrent.atomic.AtomicLong();

  private final NodeUsage usage;
  private final ProvisionableIndex provisionable = new ProvisionableIndex();
  private final ProviderIds providerIds = new ProviderIds();

  /**
   * Names of NodeClaims and nodes seen deleted (the last 10,000): a nomination a solve made from a
   * cache read just before the delete names one of these, and is void at once rather than after the
   * grace that covers targets not in the cache yet.
   */
  private final RecentNames goneTargets = new RecentNames(10_000);

  /** A pod nominated to a node or NodeClaim, until {@code expires}. */
  public record Nomination(String target, Instant since, Instant expires) {}

  private static final Duration NOMINATION_GRACE = Duration.ofSeconds(5);

  /** How long a ready NodeClaim whose node is not cached yet keeps a pod nominated. */
  private static final Duration BIND_GRACE = Duration.ofSeconds(10);

  /**
   * How long after its target is ready a nomination holds at most while the pod still fits there: a
   * scheduler minutes behind (a huge backlog, a starved machine) must not make Dovetail buy the pod
   * a second NodeClaim.
   */
  private static final Duration STRAGGLER_GRACE = Duration.ofMinutes(3);

  public ClusterState(KubernetesClient client, Clock clock) {
    this.clock = clock;
    this.pods = client.pods().inAnyNamespace().runnableInformer(0);
    this.pods.addIndexers(
        Map.of(
            BY_NODE,
            p ->
                p.getSpec() == null || p.getSpec().getNodeName() == null
                    ? List.of()
                    : List.of(p.getSpec().getNodeName())));
    this.nodes = client.nodes().runnableInformer(0);
    this.nodeClaims = client.resources(NodeClaim.class).runnableInformer(0);
    this.nodePools = client.resources(NodePool.class).runnableInformer(0);
    this.daemonSets = client.apps().daemonSets().inAnyNamespace().runnableInformer(0);
    this.pdbs = client.policy().v1().podDisruptionBudget().inAnyNamespace().runnableInformer(0);
    this.persistentVolumes = client.persistentVolumes().runnableInformer(0);
    this.persistentVolumeClaims =
        client.persistentVolumeClaims().inAnyNamespace().runnableInformer(0);
    this.storageClasses = client.storage().v1().storageClasses().runnableInformer(0);
    this.usage = new NodeUsage(this::podsOn);
    // The pod indexes are kept before listeners hear of the change, in the same handler, so a
    // listener's look at the provisionable pods sees the pod that called it.
    this.pods.addEventHandler(
        new ResourceEventHandler<Pod>() {
          @Override
          public void onAdd(Pod p) {
            usage.invalidate(nodeName(p));
            provisionable.update(p);
            notifyListeners(p);
          }

          @Override
          public void onUpdate(Pod before, Pod after) {
            usage.invalidate(nodeName(before));
            usage.invalidate(nodeName(after));
            provisionable.update(after);
            if (PodUtils.isBound(after)) {
              nominations.remove(podKey(after)); // it landed: the nomination has done its job
            }
            notifyListeners(after);
          }

          @Override
          public void onDelete(Pod p, boolean deletedFinalStateUnknown) {
            usage.invalidate(nodeName(p));
            provisionable.remove(p);
            nominations.remove(podKey(p));
            for (Consumer<Pod> l : podDeletionListeners) {
              l.accept(p);
            }
            notifyListeners(p);
          }
        });
    for (SharedIndexInformer<?> informer : informers()) {
      if (informer != pods && informer != nodes && informer != nodeClaims) {
        addNotifier(informer);
      }
    }
    // Nodes and NodeClaims: the provider IDs are kept before listeners hear of the change, so a
    // listener that looks up the object by its provider ID finds it.
    this.nodes.addEventHandler(
        new ResourceEventHandler<Node>() {
          @Override
          public void onAdd(Node n) {
            providerIds.nodeSeen(null, n);
            notifyListeners(n);
          }

          @Override
          public void onUpdate(Node before, Node after) {
            providerIds.nodeSeen(before, after);
            notifyListeners(after);
          }

          @Override
          public void onDelete(Node n, boolean deletedFinalStateUnknown) {
            providerIds.nodeGone(n);
            notifyListeners(n);
            usage.forget(n.getMetadata().getName());
            goneTargets.add(n.getMetadata().getName());
            clearNominations(n.getMetadata().getName());
          }
        });
    // A NodeClaim that goes takes its nominations with it at once: a solve that read the cache
    // just before the delete may have nominated pods to it, and waiting out the grace for a
    // target that was there and is gone only delays their next solve.
    this.nodeClaims.addEventHandler(
        new ResourceEventHandler<NodeClaim>() {
          @Override
          public void onAdd(NodeClaim c) {
            providerIds.claimSeen(null, c);
            notifyListeners(c);
          }

          @Override
          public void onUpdate(NodeClaim before, NodeClaim after) {
            providerIds.claimSeen(before, after);
            notifyListeners(after);
            if (after.getMetadata().getDeletionTimestamp() != null) {
              clearNominations(after.getMetadata().getName());
            }
          }

          @Override
          public void onDelete(NodeClaim c, boolean deletedFinalStateUnknown) {
            providerIds.claimGone(c);
            notifyListeners(c);
            goneTargets.add(c.getMetadata().getName());
            clearNominations(c.getMetadata().getName());
          }
        });
  }

  private static String nodeName(Pod p) {
    return p.getSpec() == null ? null : p.getSpec().getNodeName();
  }

  private <T> void addNotifier(SharedIndexInformer<T> informer) {
    informer.addEventHandler(
        new ResourceEventHandler<T>() {
          @Override
          public void onAdd(T obj) {
            notifyListeners(obj);
          }

          @Override
          public void onUpdate(T oldObj, T newObj) {
            notifyListeners(newObj);
          }

          @Override
          public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            notifyListeners(obj);
          }
        });
  }

  private List<SharedIndexInformer<?>> informers() {
    return List.of(
        pods,
        nodes,
        nodeClaims,
        nodePools,
        daemonSets,
        pdbs,
        persistentVolumes,
        persistentVolumeClaims,
        storageClasses);
  }

  /** Starts the informers and waits until their caches hold the current state. */
  public ClusterState start() {
    for (SharedIndexInformer<?> informer : informers()) {
      WithoutManagedFields.compactOn(informer, informer == nodeClaims ? nodeClaimCopies : null);
      informer.exceptionHandler(new InitialListRetry(10));
      informer.start();
    }
    for (SharedIndexInformer<?> informer : informers()) {
      try {
        informer.start().toCompletableFuture().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while syncing cluster state", e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("cannot sync cluster state: " + e.getCause(), e);
      }
    }
    return this;
  }

  /** Whether every informer has listed the current state (Karpenter's "synced" gate). */
  public boolean synced() {
    return informers().stream().allMatch(SharedIndexInformer::hasSynced);
  }

  /** Called on any change of any watched object (from informer threads; keep it cheap). */
  public void addListener(Consumer<Object> listener) {
    listeners.add(listener);
  }

  /**
   * Called with each deleted pod (from the informer thread; keep it cheap), before the {@link
   * #addListener listeners} hear of it.
   */
  public void addPodDeletionListener(Consumer<Pod> listener) {
    podDeletionListeners.add(listener);
  }

  /**
   * How many informer events this cache has seen: unchanged between two reads means no watched
   * object was added, updated or deleted in between.
   */
  public long generation() {
    return generation.get();
  }

  private void notifyListeners(Object obj) {
    generation.incrementAndGet();
    for (Consumer<Object> l : listeners) {
      l.accept(obj);
    }
  }

  @Override
  public List<Pod> pods() {
    return pods.getStore().list();
  }

  @Override
  public List<Pod> podsOn(String nodeName) {
    return pods.getIndexer().byIndex(BY_NODE, nodeName);
  }

  @Override
  public List<Node> nodes() {
    return nodes.getStore().list();
  }

  public Optional<Node> node(String name) {
    return Optional.ofNullable(nodes.getStore().getByKey(name));
  }

  public Optional<Node> nodeByProviderId(String providerId) {
    return providerIds.node(providerId).map(nodes.getStore()::getByKey);
  }

  /**
   * The name of the NodeClaim whose status carries this provider ID: a Node event wakes that
   * NodeClaim's lifecycle (from this cache's map, not an index of the lifecycle's own).
   */
  public Optional<String> nodeClaimNameByProviderId(String providerId) {
    return providerIds.claim(providerId);
  }

  @Override
  public List<NodeClaim> nodeClaims() {
    return nodeClaims.getStore().list();
  }

  /** For another cache of NodeClaims to hold the same objects ({@link SharedCopies}). */
  public SharedCopies<NodeClaim> nodeClaimCopies() {
    return nodeClaimCopies;
  }

  public Optional<NodeClaim> nodeClaim(String name) {
    return Optional.ofNullable(nodeClaims.getStore().getByKey(name));
  }

  @Override
  public List<NodePool> nodePools() {
    return nodePools.getStore().list();
  }

  @Override
  public List<DaemonSet> daemonSets() {
    return daemonSets.getStore().list();
  }

  public List<PodDisruptionBudget> podDisruptionBudgets() {
    return pdbs.getStore().list();
  }

  public List<PersistentVolume> persistentVolumes() {
    return persistentVolumes.getStore().list();
  }

  public List<PersistentVolumeClaim> persistentVolumeClaims() {
    return persistentVolumeClaims.getStore().list();
  }

  public List<StorageClass> storageClasses() {
    return storageClasses.getStore().list();
  }

  /** Remembers that the pod should land on {@code target} (a node or NodeClaim name). */
  public void nominate(Pod pod, String target, Duration ttl) {
    Instant now = clock.instant();
    nominations.put(podKey(pod), new Nomination(target, now, now.plus(ttl)));
  }

  /** The pod's live nomination, if it has one. */
  @Override
  public Optional<Nomination> nomination(Pod pod) {
    Nomination n = nominations.get(podKey(pod));
    if (n == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (now.isAfter(n.expires()) || targetGone(n, pod, now)) {
      nominations.remove(podKey(pod), n);
      return Optional.empty();
    }
    return Optional.of(n);
  }

  /**
   * A nomination is void once its target cannot take the pod any more: the node or NodeClaim is
   * gone, or it is ready and the pod no longer fits there (the scheduler bound other pods in its
   * place). The pod is then provisioned for again, as Karpenter re-solves pods whose nomination did
   * not work out. While the pod still fits, the nomination holds for a few minutes ({@link
   * #STRAGGLER_GRACE}) however slow the scheduler is to reach it: upstream keeps a node nominated
   * while pods are still schedulable to it (dropping it after 10 s bought second NodeClaims). A
   * just-created NodeClaim may not be cached yet, hence the grace period.
   */
  private boolean targetGone(Nomination n, Pod pod, Instant now) {
    if (goneTargets.contains(n.target())) {
      return true;
    }
    if (now.isBefore(n.since().plus(NOMINATION_GRACE))) {
      return false;
    }
    NodeClaim claim = nodeClaims.getStore().getByKey(n.target());
    Node node = nodes.getStore().getByKey(n.target());
    if (claim == null && node == null) {
      return true;
    }
    Instant readySince = null;
    if (claim != null && claim.getStatus() != null) {
      // The status is compared before the time is parsed: this runs for every nominated pod on
      // every look, and most claims in flight are not initialised yet.
      readySince =
          Conditions.isTrue(claim.getStatus().getConditions(), "Initialized")
              ? Conditions.transitionTime(claim.getStatus().getConditions(), "Initialized")
                  .orElse(null)
              : null;
      if (readySince != null && node == null && claim.getStatus().getNodeName() != null) {
        node = nodes.getStore().getByKey(claim.getStatus().getNodeName());
      }
    } else if (node != null) {
      readySince = n.since();
    }
    if (readySince == null) {
      return false;
    }
    // Void at once when a ready node lost the pod's room (waiting 10 s only delayed its next
    // solve); fits() counts bound pods only, never more than a solve, so no fresh plan is voided.
    if (node != null && !fits(pod, node)) {
      return true;
    }
    Instant ready = later(readySince, n.since());
    if (!now.isAfter(ready.plus(BIND_GRACE))) {
      return false;
    }
    // Past the grace, kept while the pod still fits there, but not for ever: the check counts
    // resources only, and a pod the scheduler keeps off the node for another reason (an
    // anti-affinity to a pod bound there since) must be re-solved, not wait out the TTL.
    return node == null || now.isAfter(ready.plus(STRAGGLER_GRACE));
  }

  /** Whether the pod's requests fit in what the pods bound to the node leave of its allocatable. */
  private boolean fits(Pod pod, Node node) {
    if (pod.getSpec() == null || node.getStatus() == null) {
      return false;
    }
    Resources allocatable = CloudProviderFacade.resources(node.getStatus().getAllocatable());
    return PodTranslator.requests(pod.getSpec())
        .add(usage.used(node.getMetadata().getName()))
        .fitsIn(allocatable);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /**
   * From the nominations rather than from every pod: a pass builds its snapshot from these, and a
   * nomination is dropped when its pod binds or goes, so this costs what is pending, not the
   * cluster.
   */
  @Override
  public List<Pod> nominatedPods() {
    List<Pod> out = new ArrayList<>();
    for (String key : List.copyOf(nominations.keySet())) {
      Pod p = pods.getStore().getByKey(key);
      if (p == null) {
        nominations.remove(key); // deleted before its event reached us; nothing to keep
      } else if (!PodUtils.isBound(p) && !PodUtils.isTerminating(p) && nomination(p).isPresent()) {
        out.add(p);
      }
    }
    return out;
  }

  /** Drops every nomination to {@code target} (e.g. its NodeClaim failed to launch). */
  public void clearNominations(String target) {
    nominations.values().removeIf(n -> n.target().equals(target));
  }

  /**
   * Pods Dovetail should provision for (Karpenter's IsProvisionable): unbound, marked Unschedulable
   * by the scheduler, not being deleted, not owned by a DaemonSet or a Node, and not already
   * nominated to capacity that is on its way.
   */
  public List<Pod> provisionablePods() {
    List<Pod> out = new ArrayList<>();
    for (String key : provisionable.keys()) {
      Pod p = pods.getStore().getByKey(key);
      if (p != null && PodUtils.isProvisionable(p) && nomination(p).isEmpty()) {
        out.add(p);
      }
    }
    // Oldest first, as the scheduler's queue: a bounded batch takes the pods that waited longest.
    out.sort(
        java.util.Comparator.comparing(ClusterState::createdAt)
            .thenComparing(ClusterState::podKey));
    return out;
  }

  private static String createdAt(Pod p) {
    String t = p.getMetadata().getCreationTimestamp();
    return t == null ? "" : t;
  }

  /**
   * Whether any pod is provisionable: stops at the first one, for callers that only decide whether
   * a batch is due.
   */
  public boolean hasProvisionablePods() {
    for (String key : provisionable.keys()) {
      Pod p = pods.getStore().getByKey(key);
      if (p != null && PodUtils.isProvisionable(p) && nomination(p).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  public static String podKey(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  @Override
  public void close() {
    for (SharedIndexInformer<?> informer : informers()) {
      informer.close();
    }
  }
}
