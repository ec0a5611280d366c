package dev.dovetail.demo;

import dev.dovetail.cloudprovider.Operator;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.NodeUtils;
import dev.dovetail.state.PodUtils;
import dev.dovetail.translate.PodTranslator;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small stand-in for kube-scheduler, for clusters without one (the embedded API of {@code demo}
 * and end-to-end tests). It binds each pending pod to a Ready node whose labels satisfy the pod's
 * node selector and required node affinity, whose NoSchedule/NoExecute taints the pod tolerates and
 * whose free allocatable fits the pod's requests, preferring the node Dovetail nominated it to,
 * then the fullest such node; a pod that fits nowhere is marked {@code PodScheduled=False, reason
 * Unschedulable}, exactly the signal Dovetail provisions for. It does not evaluate pod
 * (anti-)affinity, topology spread or host ports.
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
  }

  // Marking pods Unschedulable does not decide anything in the round, so it runs beside it: at
  // 20,000 pending pods a serial loop of status writes held the first bindings back for minutes.
  private final java.util.concurrent.ExecutorService marker =
      Executors.newFixedThreadPool(
          4,
          r -> {
            Thread t = new Thread(r, "binder-marker");
            t.setDaemon(true);
            return t;
          });
  // Bindings are written by a few threads while the round goes on deciding (two requests each:
  // at 20,000 pods a serial loop of them was the demo's slowest part); the round waits for them.
  private final java.util.concurrent.ExecutorService writer =
      Executors.newFixedThreadPool(
          4,
          r -> {
            Thread t = new Thread(r, "binder-writer");
            t.setDaemon(true);
            return t;
          });
  private final java.util.Set<String> marking = java.util.concurrent.ConcurrentHashMap.newKeySet();

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
    List<Pod> pending = new ArrayList<>();
    for (Pod p : state.pods()) {
      if (!PodUtils.isBound(p) && !PodUtils.isTerminating(p) && !PodUtils.isTerminal(p)) {
        pending.add(p);
      }
    }
    if (pending.isEmpty()) {
      return 0;
    }
    Map<String, Resources> free = new HashMap<>();
    List<Node> ready = new ArrayList<>();
    for (Node n : state.nodes()) {
      if (!NodeUtils.isReady(n) || n.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      Resources used = Resources.EMPTY;
      for (Pod p : state.podsOn(n.getMetadata().getName())) {
        if (!PodUtils.isTerminal(p)) {
          used = used.add(requests(p)).add(Resources.of(Resources.PODS, 1L));
        }
      }
      Resources alloc =
          n.getStatus() == null
              ? Resources.EMPTY
              : CloudProviderFacade.resources(n.getStatus().getAllocatable());
      free.put(n.getMetadata().getName(), alloc.subtract(used));
      ready.add(n);
    }
    // Big pods first, like a bin packer: it leaves fewer holes.
    // (each pod's requests parsed once, not on every comparison: 20,000 pods sort in ~300,000)
    Map<Pod, Long> cpu = new java.util.IdentityHashMap<>();
    pending.forEach(p -> cpu.put(p, requests(p).get(Resources.CPU)));
    pending.sort(Comparator.comparingLong((Pod p) -> cpu.get(p)).reversed());
    int bound = 0;
    List<java.util.concurrent.Future<Boolean>> bindings = new ArrayList<>();
    java.util.Set<List<Object>> fitsNowhere = new java.util.HashSet<>();
    for (Pod pod : pending) {
      Resources req = requests(pod).add(Resources.of(Resources.PODS, 1L));
      Node best = null;
      long bestLeft = Long.MAX_VALUE;
      // Like kube-scheduler with status.nominatedNodeName: the node Dovetail planned the pod
      // for comes first (a NodeClaim's node carries the NodeClaim's name in the simulated
      // cloud), so the plan that bought the capacity is the one that fills it.
      String nominated = state.nomination(pod).map(ClusterState.Nomination::target).orElse(null);
      // Room only shrinks during a round, so a pod shaped like one that fitted nowhere fits
      // nowhere either: skip the scan of every node (at 20,000 pending pods on 1,000 nodes the
      // scans were the binder's whole round). Same decisions, fewer looks.
      List<Object> shape =
          java.util.Arrays.asList(
              req,
              pod.getSpec().getNodeSelector(),
              pod.getSpec().getAffinity(),
              pod.getSpec().getTolerations());
      for (Node n : fitsNowhere.contains(shape) ? List.<Node>of() : ready) {
        Resources f = free.get(n.getMetadata().getName());
        if (!req.fitsIn(f) || !tolerates(pod, n) || !matchesNode(pod, n)) {
          continue;
        }
        if (n.getMetadata().getName().equals(nominated)) {
          best = n;
          break;
        }
        long left = f.get(Resources.CPU) - req.get(Resources.CPU);
        if (left < bestLeft) {
          bestLeft = left;
          best = n;
        }
      }
      if (best == null) {
        fitsNowhere.add(shape);
      }
      if (best != null) {
        // Written in the background (see writer); the room is taken at once so the rest of the
        // round does not count on it, and a failed write leaves it free again next round.
        String name = best.getMetadata().getName();
        bindings.add(writer.submit(() -> bind(pod, name)));
        free.put(name, free.get(name).subtract(req));
      } else if (!PodUtils.isUnschedulable(pod)) {
        String key = ClusterState.podKey(pod);
        if (marking.add(key)) {
          marker.execute(
              () -> {
                try {
                  markUnschedulable(pod);
                } finally {
                  marking.remove(key);
                }
              });
        }
      }
    }
    for (java.util.concurrent.Future<Boolean> b : bindings) {
      try {
        if (b.get()) {
          bound++;
        }
      } catch (java.util.concurrent.ExecutionException e) {
        LOG.debug("binding failed: {}", e.getCause().toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return bound;
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
      // One strategic merge patch (conditions merge by type): no read of the pod first.
      client
          .pods()
          .inNamespace(namespace)
          .withName(name)
          .subresource("status")
          .patch(
              io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                  io.fabric8.kubernetes.client.dsl.base.PatchType.STRATEGIC_MERGE),
              "{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"PodScheduled\","
                  + "\"status\":\"True\",\"reason\":null,\"message\":null,"
                  + "\"lastTransitionTime\":\""
                  + clock.instant()
                  + "\"}]}}");
      return true;
    } catch (KubernetesClientException e) {
      LOG.debug("binding {} failed: {}", name, e.getMessage());
      return false;
    }
  }

  private void markUnschedulable(Pod pod) {
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .editStatus(
              p -> {
                setScheduled(
                    p,
                    "False",
                    "Unschedulable",
                    "0/" + state.nodes().size() + " nodes are available");
                if (p.getStatus().getPhase() == null) {
                  p.getStatus().setPhase("Pending");
                }
                return p;
              });
    } catch (KubernetesClientException e) {
      LOG.debug("marking {} unschedulable failed: {}", pod.getMetadata().getName(), e.getMessage());
    }
  }

  private void setScheduled(Pod p, String status, String reason, String message) {
    if (p.getStatus() == null) {
      p.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
    }
    List<PodCondition> conditions =
        p.getStatus().getConditions() == null
            ? new ArrayList<>()
            : new ArrayList<>(p.getStatus().getConditions());
    conditions.removeIf(c -> "PodScheduled".equals(c.getType()));
    conditions.add(
        new PodConditionBuilder()
            .withType("PodScheduled")
            .withStatus(status)
            .withReason(reason)
            .withMessage(message)
            .withLastTransitionTime(clock.instant().toString())
            .build());
    p.getStatus().setConditions(conditions);
  }

  /** Effective requests, as kube-scheduler computes them (the translator's rule). */
  static Resources requests(Pod pod) {
    return PodTranslator.requests(pod.getSpec());
  }

  static boolean tolerates(Pod pod, Node node) {
    if (node.getSpec() == null || node.getSpec().getTaints() == null) {
      return true;
    }
    for (Taint t : node.getSpec().getTaints()) {
      if ("PreferNoSchedule".equals(t.getEffect())) {
        continue;
      }
      boolean tolerated = false;
      if (pod.getSpec().getTolerations() != null) {
        for (Toleration tol : pod.getSpec().getTolerations()) {
          if (tolerates(tol, t)) {
            tolerated = true;
            break;
          }
        }
      }
      if (!tolerated) {
        return false;
      }
    }
    return true;
  }

  static boolean tolerates(Toleration tol, Taint taint) {
    if (tol.getEffect() != null
        && !tol.getEffect().isEmpty()
        && !tol.getEffect().equals(taint.getEffect())) {
      return false;
    }
    if (tol.getKey() == null || tol.getKey().isEmpty()) {
      return "Exists".equals(tol.getOperator());
    }
    if (!tol.getKey().equals(taint.getKey())) {
      return false;
    }
    if ("Exists".equals(tol.getOperator())) {
      return true;
    }
    String tv = taint.getValue() == null ? "" : taint.getValue();
    String v = tol.getValue() == null ? "" : tol.getValue();
    return tv.equals(v);
  }

  static boolean matchesNode(Pod pod, Node node) {
    Map<String, String> labels =
        node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    if (pod.getSpec().getNodeSelector() != null) {
      for (Map.Entry<String, String> e : pod.getSpec().getNodeSelector().entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    var affinity = pod.getSpec().getAffinity();
    if (affinity == null
        || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return true;
    }
    List<NodeSelectorTerm> terms =
        affinity
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms();
    if (terms == null || terms.isEmpty()) {
      return true;
    }
    for (NodeSelectorTerm term : terms) {
      List<Requirement> reqs = new ArrayList<>();
      if (term.getMatchExpressions() != null) {
        for (NodeSelectorRequirement r : term.getMatchExpressions()) {
          Operator op = Operator.parse(r.getOperator());
          if (op != null) {
            reqs.add(Requirement.of(r.getKey(), op, r.getValues(), null));
          }
        }
      }
      if (Requirements.of(reqs).matches(labels)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    executor.shutdownNow();
    marker.shutdownNow();
    writer.shutdownNow();
  }
}
