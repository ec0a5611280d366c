package dev.dovetail.state;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An informer-backed, in-memory view of the cluster that controllers and the scheduling engine read
 * without API calls. It also remembers which pods were nominated to which NodeClaim, so that a pod
 * whose machine is still on its way is not provisioned for twice ({@link Nominations}), and which
 * Node and NodeClaim carry each provider ID ({@link ProviderIds}).
 */
public final class ClusterState implements ClusterView, AutoCloseable {
  static final String BY_NODE = "byNode";

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
  private final Nominations nominations;
  private final ProvisionableIndex provisionable = new ProvisionableIndex();
  private final ProviderIds providerIds = new ProviderIds();

  /** A pod nominated to a node or NodeClaim, until {@code expires}. */
  public record Nomination(String target, Instant since, Instant expires) {}

  public ClusterState(KubernetesClient client, Clock clock) {
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
    this.nominations =
        new Nominations(clock, nodeClaims.getStore()::getByKey, nodes.getStore()::getByKey, usage);
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
              nominations.forget(podKey(after)); // it landed: the nomination has done its job
            }
            notifyListeners(after);
          }

          @Override
          public void onDelete(Pod p, boolean deletedFinalStateUnknown) {
            usage.invalidate(nodeName(p));
            provisionable.remove(p);
            nominations.forget(podKey(p));
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
            nominations.targetGone(n.getMetadata().getName());
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
            nominations.targetGone(c.getMetadata().getName());
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
      informer.exceptionHandler(new InformerRetry(10));
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

  /**
   * The cached NodeClaims' names: for a walk that reads each claim when it comes to it (with {@link
   * #nodeClaim}) rather than holding every cached object from its start.
   */
  public List<String> nodeClaimNames() {
    return nodeClaims.getStore().listKeys();
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
    nominations.nominate(podKey(pod), target, ttl);
  }

  /** The pod's live nomination, if it has one. */
  @Override
  public Optional<Nomination> nomination(Pod pod) {
    return nominations.live(podKey(pod), pod);
  }

  /**
   * From the nominations rather than from every pod: a pass builds its snapshot from these, and a
   * nomination is dropped when its pod binds or goes, so this costs what is pending, not the
   * cluster.
   */
  @Override
  public List<Pod> nominatedPods() {
    List<Pod> out = new ArrayList<>();
    nominated((p, n) -> out.add(p));
    return out;
  }

  /** {@link #nominatedPods()} by target, each pod's nomination checked once. */
  @Override
  public Map<String, List<Pod>> nominatedByTarget() {
    Map<String, List<Pod>> out = new HashMap<>();
    nominated((p, n) -> out.computeIfAbsent(n.target(), k -> new ArrayList<>()).add(p));
    return out;
  }

  private void nominated(java.util.function.BiConsumer<Pod, Nomination> each) {
    Nominations.Look look = new Nominations.Look();
    for (String key : nominations.podKeys()) {
      Pod p = pods.getStore().getByKey(key);
      if (p == null) {
        nominations.forget(key); // deleted before its event reached us; nothing to keep
      } else if (!PodUtils.isBound(p) && !PodUtils.isTerminating(p)) {
        nominations.live(key, p, look).ifPresent(n -> each.accept(p, n));
      }
    }
  }

  /** Drops every nomination to {@code target} (e.g. its NodeClaim failed to launch). */
  public void clearNominations(String target) {
    nominations.clear(target);
  }

  /**
   * Pods Dovetail should provision for (Karpenter's IsProvisionable): unbound, marked Unschedulable
   * by the scheduler, not being deleted, not owned by a DaemonSet or a Node, and not already
   * nominated to capacity that is on its way.
   */
  public List<Pod> provisionablePods() {
    List<Pod> out = new ArrayList<>();
    Nominations.Look look = new Nominations.Look();
    for (String key : provisionable.keys()) {
      Pod p = pods.getStore().getByKey(key);
      if (p != null
          && PodUtils.isProvisionable(p)
          && nominations.live(podKey(p), p, look).isEmpty()) {
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
    return provisionable.anyMatch(
        key -> {
          Pod p = pods.getStore().getByKey(key);
          return p != null && PodUtils.isProvisionable(p) && nomination(p).isEmpty();
        });
  }

  /**
   * {@code namespace/name}, the engine's pod id ({@link dev.dovetail.translate.PodTranslator#id}):
   * one function and one interned copy for every map and set keyed by pod.
   */
  public static String podKey(Pod pod) {
    return dev.dovetail.translate.PodTranslator.id(pod);
  }

  @Override
  public void close() {
    for (SharedIndexInformer<?> informer : informers()) {
      informer.close();
    }
  }
}
