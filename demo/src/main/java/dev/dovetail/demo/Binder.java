package dev.dovetail.demo;

import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.PodUtils;
import dev.dovetail.translate.PodTranslator;
import dev.dovetail.translate.VolumeTopologies;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for kube-scheduler, for clusters without one (the embedded API of {@code demo} and
 * end-to-end tests). Every 200 ms it runs a {@link SchedulingCycle} over the pending pods its
 * {@link SchedulingQueue} says to try (new, changed and nominated pods, and waiting pods an event
 * from {@link ClusterEvents} could let fit, as kube-scheduler's queue moves them): kube-scheduler's
 * filters (resources, selectors and node affinity, taints, pod affinity and anti-affinity, topology
 * spread, host ports, volume topology) by the engine's existing-node placement, the nominated node
 * tried first, then the fullest node that fits (MostAllocated). It binds each placed pod; a pod
 * that fits nowhere is marked {@code PodScheduled=False, reason Unschedulable}, exactly the signal
 * Dovetail provisions for. Not modelled: priorities and preemption, and scores other than
 * MostAllocated (preferences are honoured when they can be, as the engine relaxes them).
 */
public final class Binder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Binder.class);
  private final KubernetesClient client;
  private final ClusterState state;
  private final Clock clock;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "binder");
            t.setDaemon(true);
            return t;
          });

  public Binder(KubernetesClient client, ClusterState state, Clock clock) {
    this.client = client;
    this.state = state;
    this.clock = clock;
    this.cycle = new SchedulingCycle(new PodTranslator(volumes(state), null), translations);
    this.events = new ClusterEvents(state);
    this.nominations = new NominatedNodes(state);
  }

  private final NominatedNodes nominations;

  private final TranslationCache translations = new TranslationCache();
  private final SchedulingCycle cycle;
  private final SchedulingQueue queue = new SchedulingQueue();
  private final ClusterEvents events;

  private volatile int triedInLastRound;

  /**
   * How often the timer's rounds try pods on every node at most (the pods stay active meanwhile).
   * Such a pass reads every node's pods and sorts the nodes: with pods created all the time it ran
   * every 200 ms and took the round thread to 35 % of the cluster process's CPU samples in a
   * 20,000-pod run (5,000+ nodes). A new pod then waits up to a second, kube-scheduler's initial
   * backoff.
   */
  static final long FULL_PASS_MILLIS = 1_000;

  private long lastFullPassMillis;

  /** When the translations not used since the last sweep are dropped next. */
  private long nextSweepMillis;

  /** Volume topology from the cluster's PVCs, PVs and StorageClasses (the VolumeBinding filter). */
  private static VolumeTopologies volumes(ClusterState state) {
    return new VolumeTopologies(
        key ->
            state.persistentVolumeClaims().stream()
                .filter(
                    c ->
                        key.equals(
                            c.getMetadata().getNamespace() + "/" + c.getMetadata().getName()))
                .findFirst()
                .orElse(null),
        name ->
            state.persistentVolumes().stream()
                .filter(v -> Objects.equals(name, v.getMetadata().getName()))
                .findFirst()
                .orElse(null),
        name ->
            state.storageClasses().stream()
                .filter(c -> Objects.equals(name, c.getMetadata().getName()))
                .findFirst()
                .orElse(null));
  }

  /**
   * Writes in flight at most, for bindings and for marks each. The writes wait on round trips, not
   * on CPU: on a machine at load 40 a 20,000-pod run showed the round thread and the 4 writers of
   * each kind parked on responses nearly all the time (the binder thread used 6 ms of CPU in 34 s)
   * while ~16,000 pods had not been marked after 9 minutes. kube-scheduler runs each binding cycle
   * in its own goroutine, so more in flight is closer to it as well.
   */
  static final int WRITERS = 16;

  // Marking pods Unschedulable does not decide anything in the round, so it runs beside it: at
  // 20,000 pending pods a serial loop of status writes held the first bindings back for minutes.
  private final java.util.concurrent.ExecutorService binding =
      Executors.newFixedThreadPool(
          WRITERS,
          r -> {
            Thread t = new Thread(r, "binder-bind");
            t.setDaemon(true);
            return t;
          });

  private final java.util.concurrent.ExecutorService marker =
      Executors.newFixedThreadPool(
          WRITERS,
          r -> {
            Thread t = new Thread(r, "binder-marker");
            t.setDaemon(true);
            return t;
          });
  private final java.util.Set<String> marking = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Uids of the pods this stand-in bound (a pod recreated under its name has a new uid). */
  private final java.util.Set<String> boundUids =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static String uid(Pod pod) {
    return String.valueOf(pod.getMetadata().getUid());
  }

  public Binder start() {
    executor.scheduleWithFixedDelay(this::safeRound, 0, 200, TimeUnit.MILLISECONDS);
    return this;
  }

  private void safeRound() {
    try {
      round(false);
    } catch (RuntimeException e) {
      LOG.warn("binder round failed: {}", e.toString());
    }
  }

  /**
   * One scheduling pass that waits for its bindings, so a test sees them on return. Visible for
   * tests.
   */
  public int round() {
    return round(true);
  }

  /**
   * One scheduling pass over the pods {@link SchedulingQueue} says to try now: first the waiting
   * pods an event moved onto the nodes that changed (they waited longer, and the capacity was most
   * likely bought for them), then the new, changed, nominated and flushed pods on every node. Each
   * decision counts the pods still being bound as on their nodes.
   *
   * @param await whether to wait for this pass's bindings: the timer's rounds do not, so the
   *     writers keep binding while the next pass is decided (waiting, they idled through every
   *     decision and every 200 ms pause)
   * @return the pods bound (with {@code await}) or placed
   */
  int round(boolean await) {
    // Elapsed time, not the cluster's clock: tests run the cluster on a clock they move by hand,
    // and the flush and the full-pass pacing must not stop (or race) with it.
    long now = System.nanoTime() / 1_000_000;
    List<Pod> pending = new ArrayList<>();
    for (Pod p : state.pods()) {
      if (!PodUtils.isBound(p) && !PodUtils.isTerminating(p) && !PodUtils.isTerminal(p)) {
        pending.add(p);
      }
    }
    java.util.Set<String> nominatedKeys = new java.util.HashSet<>();
    for (Pod p : state.nominatedPods()) {
      nominatedKeys.add(ClusterState.podKey(p));
    }
    java.util.function.Predicate<Pod> isNominated =
        p ->
            hasNominatedNodeName(p)
                || (!nominatedKeys.isEmpty() && nominatedKeys.contains(ClusterState.podKey(p)));
    boolean released = queue.sync(pending, nominations::node, isNominated);
    Map<String, List<Pod>> held =
        NodeOccupants.nominated(pending.stream().filter(isNominated).toList(), nominations::node);
    List<Node> nodes = state.nodes();
    java.util.Set<String> changed = events.changedNodes(nodes);
    boolean volumes = events.takeVolumesChanged();
    if (volumes) {
      translations.clear(); // a pod's volume requirements are read from the claims and volumes
    }
    boolean roomFreed = events.takeRoomFreed() | released | volumes;
    SchedulingQueue.Batch batch =
        queue.next(now, roomFreed, events.takePodsBound(), !changed.isEmpty());
    if (now >= nextSweepMillis) {
      translations.sweep();
      nextSweepMillis = now + SchedulingQueue.FLUSH.toMillis();
    }
    triedInLastRound = batch.onChangedNodes().size() + batch.everywhere().size();
    List<java.util.concurrent.Future<Boolean>> binds = new ArrayList<>();
    if (!batch.onChangedNodes().isEmpty()) {
      List<Node> onlyChanged = new ArrayList<>();
      for (Node n : nodes) {
        if (changed.contains(n.getMetadata().getName())) {
          onlyChanged.add(n);
        }
      }
      tryOn(onlyChanged, nodes, batch.onChangedNodes(), true, held, now, binds);
    }
    if (!batch.everywhere().isEmpty() && (await || now - lastFullPassMillis >= FULL_PASS_MILLIS)) {
      lastFullPassMillis = now;
      tryOn(nodes, nodes, batch.everywhere(), false, held, now, binds);
    }
    return await ? awaitAll(binds) : binds.size();
  }

  /** How many pods the last round decided (for tests and the progress log). */
  int triedInLastRound() {
    return triedInLastRound;
  }

  private static boolean hasNominatedNodeName(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getNominatedNodeName() != null
        && !p.getStatus().getNominatedNodeName().isEmpty();
  }

  /**
   * Pods decided at once on changed nodes: a few nodes' worth (each takes a few to a few dozen), so
   * that once the nodes are full the rest of the waiting pods are only asked the {@link RoomHint}.
   */
  static final int CHUNK = 256;

  /**
   * Decides {@code toTry} on all {@code nodes}, the pods the {@link RoomHint} says could fit one of
   * {@code hinted} only.
   *
   * @param hinted the nodes a pod must be able to fit to be decided: the changed nodes for waiting
   *     pods (kube-scheduler's queueing hints: only an event that could let a pod fit moves it),
   *     otherwise all. A moved pod is then decided on every node, not the changed ones alone, so
   *     where it goes does not depend on which nodes changed in the same round (it took the fullest
   *     of the changed nodes, where a full pass would take the fullest of all).
   * @param waiting the pods wait in the unschedulable set: they go a chunk at a time, the hint
   *     asked again after each, and those it refuses keep waiting. Otherwise all go at once, and
   *     those it refuses are unschedulable as the engine would say.
   * @param held node name to the pending pods nominated to it (see {@link NodeOccupants})
   */
  private void tryOn(
      List<Node> hinted,
      List<Node> nodes,
      List<Pod> toTry,
      boolean waiting,
      Map<String, List<Pod>> held,
      long now,
      List<java.util.concurrent.Future<Boolean>> binds) {
    // The pods to try hold no room for the hint (a nominated one is tried on its node first, and
    // the hint may only err on the side of yes); the other nominated pods do, so the hint does not
    // offer their room either.
    java.util.Set<String> trying = NodeOccupants.uids(toTry);
    int from = 0;
    while (from < toTry.size()) {
      NodeOccupants occupants = new NodeOccupants(state::podsOn, queue.assumed(), held, trying);
      List<dev.dovetail.scheduling.ExistingNode> room = cycle.nodes(hinted, occupants);
      RoomHint hint = new RoomHint(room);
      List<Pod> chunk = new ArrayList<>();
      while (from < toTry.size() && (!waiting || chunk.size() < CHUNK)) {
        Pod p = toTry.get(from++);
        if (hint.couldFit(cycle.translate(p))) {
          chunk.add(p);
        } else if (!waiting) {
          String why =
              "0/" + room.size() + " nodes are available: none has the room, labels and taints";
          unschedulable(p, ClusterState.podKey(p), why, now);
        }
      }
      if (chunk.isEmpty()) {
        return;
      }
      decideAndApply(nodes, chunk, held, now, binds);
    }
  }

  private void decideAndApply(
      List<Node> nodes,
      List<Pod> toTry,
      Map<String, List<Pod>> held,
      long now,
      List<java.util.concurrent.Future<Boolean>> binds) {
    NodeOccupants occupants =
        new NodeOccupants(state::podsOn, queue.assumed(), held, NodeOccupants.uids(toTry));
    SchedulingCycle.Decision decision = cycle.decide(nodes, occupants, toTry, nominations::node);
    Map<String, Pod> byKey = new java.util.HashMap<>();
    for (Pod p : toTry) {
      byKey.put(ClusterState.podKey(p), p);
    }
    // Bindings go out several at a time, as kube-scheduler's binding cycles run concurrently: one
    // at a time, a loaded machine bound ~5 pods/s, slower than a nomination lasts once its node
    // is ready (10 s), so plans lapsed and capacity was bought twice.
    for (Map.Entry<String, String> b : decision.bindings().entrySet()) {
      String key = b.getKey();
      Pod pod = byKey.get(key);
      nominations.logIfElsewhere(pod, b.getValue());
      queue.assume(pod, b.getValue());
      binds.add(
          binding.submit(
              () -> {
                boolean bound = false;
                try {
                  bound = bind(pod, b.getValue());
                  return bound;
                } finally {
                  if (!bound) {
                    queue.bindingFailed(pod);
                  }
                }
              }));
    }
    decision.unschedulable().forEach((key, why) -> unschedulable(byKey.get(key), key, why, now));
  }

  private int awaitAll(List<java.util.concurrent.Future<Boolean>> binds) {
    int bound = 0;
    for (java.util.concurrent.Future<Boolean> f : binds) {
      try {
        if (f.get()) {
          bound++;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return bound;
      } catch (java.util.concurrent.ExecutionException e) {
        LOG.debug("binding failed: {}", e.getCause().toString());
      }
    }
    return bound;
  }

  /** Puts the pod in the unschedulable set and marks it so, unless it is marked already. */
  private void unschedulable(Pod pod, String key, String why, long now) {
    if (pod == null) {
      return;
    }
    queue.unschedulable(pod, now, nominations.node(pod));
    if (PodUtils.isUnschedulable(pod) || !marking.add(key)) {
      return;
    }
    // The queued mark keeps the pod's names, not the pod: thousands queued held as many versions
    // of pods the cache had already replaced (2,648 in a 10,000-pod run's heap histogram, ~4 KiB
    // each, under -Xmx512m).
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    String podUid = uid(pod);
    marker.execute(
        () -> {
          try {
            // Queued behind thousands of others, the mark may come after a later round bound the
            // pod: it would then undo the binding's status.
            if (!boundUids.contains(podUid)) {
              markUnschedulable(namespace, name, why);
            }
          } finally {
            marking.remove(key);
          }
        });
  }

  /**
   * Binds as kube-scheduler does: a Binding sets {@code spec.nodeName} (which an update may not
   * change), then the pod's status says it is scheduled and running (no kubelet here to start it).
   */
  private boolean bind(Pod pod, String nodeName) {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    try {
      client
          .resource(
              new BindingBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(namespace)
                  .endMetadata()
                  .withNewTarget()
                  .withApiVersion("v1")
                  .withKind("Node")
                  .withName(nodeName)
                  .endTarget()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.debug("binding {} failed: {}", name, e.getMessage());
      return false;
    }
    boundUids.add(uid(pod));
    try {
      patchStatus(namespace, name, scheduled("True", null, null), "Running");
    } catch (KubernetesClientException e) {
      // Bound all the same: the queue must not place it again (its Binding would be refused).
      LOG.debug("writing {}'s scheduled status failed: {}", name, e.getMessage());
    }
    return true;
  }

  private void markUnschedulable(String namespace, String name, String message) {
    try {
      patchStatus(namespace, name, scheduled("False", "Unschedulable", message), "Pending");
    } catch (KubernetesClientException e) {
      LOG.debug("marking {} unschedulable failed: {}", name, e.getMessage());
    }
  }

  /**
   * Writes the pod's {@code PodScheduled} condition and phase in one strategic merge patch of its
   * status, as kube-scheduler does: conditions merge by type, so the condition replaces an earlier
   * one and the others stay. A read-modify-write took a GET and a PATCH per pod: at 20,000 pending
   * pods on a loaded machine the marks trickled out, and the provisioner, which sees only marked
   * pods, solved a few at a time (one run: 613 NodeClaims by the time ~700 pods were bound).
   */
  private void patchStatus(String namespace, String name, PodCondition condition, String phase) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("conditions", List.of(condition));
    status.put("phase", phase);
    client
        .pods()
        .inNamespace(namespace)
        .withName(name)
        .subresource("status")
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.STRATEGIC_MERGE),
            client.getKubernetesSerialization().asJson(Map.of("status", status)));
  }

  private PodCondition scheduled(String status, String reason, String message) {
    return new PodConditionBuilder()
        .withType("PodScheduled")
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(clock.instant().toString())
        .build();
  }

  /** Effective requests, as kube-scheduler computes them (the translator's rule). */
  static Resources requests(Pod pod) {
    return PodTranslator.requests(pod.getSpec());
  }

  @Override
  public void close() {
    executor.shutdownNow();
    marker.shutdownNow();
    binding.shutdownNow();
  }
}
