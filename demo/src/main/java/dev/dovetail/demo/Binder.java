package dev.dovetail.demo;

import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.PodUtils;
import dev.dovetail.translate.PodTranslator;
import dev.dovetail.translate.VolumeTopologies;
import io.fabric8.kubernetes.api.model.BindingBuilder;
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
 * end-to-end tests). Every 200 ms it runs a {@link SchedulingCycle} over the pending pods: kube-
 * scheduler's filters (resources, selectors and node affinity, taints, pod affinity and
 * anti-affinity, topology spread, host ports, volume topology) by the engine's existing-node
 * placement, the nominated node tried first, then the fullest node that fits (MostAllocated). It
 * binds each placed pod; a pod that fits nowhere is marked {@code PodScheduled=False, reason
 * Unschedulable}, exactly the signal Dovetail provisions for. Not modelled: priorities and
 * preemption, and scores other than MostAllocated (preferences are honoured when they can be, as
 * the engine relaxes them).
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
    this.cycle = new SchedulingCycle(new PodTranslator(volumes(state), null));
  }

  private final SchedulingCycle cycle;

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
      round();
    } catch (RuntimeException e) {
      LOG.warn("binder round failed: {}", e.toString());
    }
  }

  /** One scheduling pass over all pending pods. Visible for tests. */
  public int round() {
    Map<String, Pod> pending = new LinkedHashMap<>();
    for (Pod p : state.pods()) {
      if (!PodUtils.isBound(p) && !PodUtils.isTerminating(p) && !PodUtils.isTerminal(p)) {
        pending.put(ClusterState.podKey(p), p);
      }
    }
    if (pending.isEmpty()) {
      return 0;
    }
    SchedulingCycle.Decision decision =
        cycle.decide(
            state.nodes(), state::podsOn, List.copyOf(pending.values()), this::nominatedNode);
    // Bindings go out several at a time, as kube-scheduler's binding cycles run concurrently: one
    // at a time, a loaded machine bound ~5 pods/s, slower than a nomination lasts once its node
    // is ready (10 s), so plans lapsed and capacity was bought twice. The round waits for them
    // all, so the next decision sees every binding of this one.
    List<java.util.concurrent.Future<Boolean>> binds = new ArrayList<>();
    for (Map.Entry<String, String> b : decision.bindings().entrySet()) {
      Pod pod = pending.get(b.getKey());
      logIfElsewhere(pod, b.getValue());
      binds.add(binding.submit(() -> bind(pod, b.getValue())));
    }
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
    decision
        .unschedulable()
        .forEach(
            (key, why) -> {
              Pod pod = pending.get(key);
              if (pod != null && !PodUtils.isUnschedulable(pod) && marking.add(key)) {
                // The queued mark keeps the pod's names, not the pod: thousands queued held as
                // many versions of pods the cache had already replaced (2,648 in a 10,000-pod
                // run's heap histogram, ~4 KiB each, under -Xmx512m).
                String namespace = pod.getMetadata().getNamespace();
                String name = pod.getMetadata().getName();
                String podUid = uid(pod);
                marker.execute(
                    () -> {
                      try {
                        // Queued behind thousands of others, the mark may come after a later
                        // round bound the pod: it would then undo the binding's status.
                        if (!boundUids.contains(podUid)) {
                          markUnschedulable(namespace, name, why);
                        }
                      } finally {
                        marking.remove(key);
                      }
                    });
              }
            });
    return bound;
  }

  /**
   * The node a pod is nominated to: {@code status.nominatedNodeName} when set (kube-scheduler's own
   * nominations, and external ones as KEP-5278 allows), else Dovetail's nomination, which upstream
   * Karpenter only announces in a {@code Nominated} event: the stand-in reads it from the shared
   * cluster state instead. A nomination to a NodeClaim means the node it registered as.
   */
  String nominatedNode(Pod pod) {
    String nnn = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
    if (nnn != null && !nnn.isEmpty()) {
      return nnn;
    }
    String target = state.nomination(pod).map(ClusterState.Nomination::target).orElse(null);
    if (target == null || state.node(target).isPresent()) {
      return target;
    }
    // By providerID too: the Node exists as soon as it registers, while the claim's status.nodeName
    // is written by the lifecycle controller a moment later. Unmapped in between, the claim's pods
    // were placed as if not nominated and could take the room of another claim's pods.
    return state
        .nodeClaim(target)
        .map(c -> c.getStatus() == null ? null : c.getStatus())
        .map(
            s ->
                s.getNodeName() != null
                    ? s.getNodeName()
                    : state
                        .nodeByProviderId(s.getProviderID())
                        .map(n -> n.getMetadata().getName())
                        .orElse(null))
        .orElse(null);
  }

  /**
   * Says why a pod goes elsewhere than its nomination: the one place where a plan is not followed,
   * so the demo's {@code boundAsNominated} shortfall can be explained pod by pod.
   */
  private void logIfElsewhere(Pod pod, String nodeName) {
    String nominated = nominatedNode(pod);
    if (nominated == null || nominated.equals(nodeName)) {
      return;
    }
    String target = state.nomination(pod).map(ClusterState.Nomination::target).orElse(nominated);
    String why;
    if (state.node(nominated).isPresent()) {
      why =
          dev.dovetail.state.NodeUtils.isReady(state.node(nominated).get())
              ? "its node is Ready but the pod no longer fits there"
              : "its node is not Ready";
    } else if (state.nodeClaim(target).isPresent()) {
      why = "its NodeClaim has no Node yet";
    } else {
      why = "its target is gone";
    }
    LOG.info(
        "binding {} to {} although nominated to {}: {}",
        ClusterState.podKey(pod),
        nodeName,
        target.equals(nominated) ? target : target + " (node " + nominated + ")",
        why);
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
      boundUids.add(uid(pod));
      patchStatus(namespace, name, scheduled("True", null, null), "Running");
      return true;
    } catch (KubernetesClientException e) {
      LOG.debug("binding {} failed: {}", name, e.getMessage());
      return false;
    }
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
