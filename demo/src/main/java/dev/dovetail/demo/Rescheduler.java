package dev.dovetail.demo;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for the ReplicaSet controller, for clusters without one (the demo's embedded API): it
 * keeps every desired pod of a controller in existence (a naked pod is not recreated). A pod that
 * was evicted (deleted) is created again, unbound; a pod still bound to a node that no longer
 * exists is deleted so it comes back unbound. Without it, pods on a consolidated node would simply
 * vanish.
 *
 * <p>Only a pod it has seen exist is brought back: the workload's creates may still be under way
 * when it starts (the provisioning benchmark starts it before its burst), and a pod not created yet
 * is not a pod that was deleted. Recreating those raced the creator (AlreadyExists both ways,
 * 18,703 warnings in one 20,000-pod run).
 */
public final class Rescheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Rescheduler.class);
  private final KubernetesClient client;

  /**
   * The desired pods by name. A pod is remembered as the template it is recreated from, shared by
   * every pod of its ReplicaSet that differs from it only in name (so 50,000 pods of a handful of
   * ReplicaSets cost 50,000 names and a handful of fabric8 objects, not 50,000 of them: at ~4 KiB
   * each those were ~40 % of a 512 MiB heap), and whether it was seen.
   */
  private final Map<String, Wanted> desired = new ConcurrentHashMap<>();

  /** Pods scaled down: one found alive again (recreated meanwhile) is surplus and deleted. */
  private final Set<String> retired = ConcurrentHashMap.newKeySet();

  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "rescheduler");
            t.setDaemon(true);
            return t;
          });

  /**
   * One desired pod: its template, or null for a pod without a controller (never recreated, so
   * nothing to keep), and whether it was listed as present at least once: only a seen pod is
   * recreated when absent.
   */
  private static final class Wanted {
    final Pod template;
    volatile boolean seen;

    Wanted(Pod template) {
      this.template = template;
    }
  }

  /**
   * Reads {@code pods} once (an {@link Iterable} that builds them as it goes, such as {@link
   * Workload#stream}, is never held whole).
   */
  public Rescheduler(KubernetesClient client, Iterable<Pod> pods) {
    this.client = client;
    Map<String, Pod> templates = new HashMap<>();
    for (Pod p : pods) {
      Pod template = null;
      if (hasController(p)) {
        Pod unnamed = fresh(p, null);
        template = templates.get(ownerKey(p));
        if (template == null) {
          template = unnamed;
          templates.put(ownerKey(p), template);
        } else if (!template.equals(unnamed)) {
          // Not a pod like its ReplicaSet's others: kept whole, so it comes back exactly as given.
          template = fresh(p, p.getMetadata().getName());
        }
      }
      desired.put(p.getMetadata().getName(), new Wanted(template));
    }
  }

  /** The controlling owner of a pod with a controller: the key its siblings share. */
  private static String ownerKey(Pod p) {
    for (OwnerReference r : p.getMetadata().getOwnerReferences()) {
      if (Boolean.TRUE.equals(r.getController())) {
        return p.getMetadata().getNamespace()
            + "/"
            + r.getKind()
            + "/"
            + r.getName()
            + "/"
            + r.getUid();
      }
    }
    throw new IllegalArgumentException("no controller: " + p.getMetadata().getName());
  }

  /**
   * The pod as it is created again: what the API server or the scheduler set (version, uid,
   * timestamps, node, status) dropped, and named {@code name} (null in a ReplicaSet's template).
   */
  private static Pod fresh(Pod p, String name) {
    return new PodBuilder(p)
        .editMetadata()
        .withName(name)
        .withResourceVersion(null)
        .withUid(null)
        .withCreationTimestamp(null)
        .withDeletionTimestamp(null)
        .endMetadata()
        .editSpec()
        .withNodeName(null)
        .endSpec()
        .withStatus(null)
        .build();
  }

  public Rescheduler start() {
    executor.scheduleWithFixedDelay(this::safeRound, 500, 500, TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * The workload shrinks: these pods are no longer wanted (and are deleted). Synchronized with
   * {@link #round}: a round that listed a scaled-down pod as absent (just evicted) and read it as
   * desired would otherwise recreate it after this delete, and an unwanted pod would live on.
   */
  public synchronized void scaleDown(List<String> names) {
    for (String name : names) {
      desired.remove(name);
      retired.add(name);
      client.pods().inNamespace(Workload.NAMESPACE).withName(name).delete();
    }
  }

  /** Distinct templates held (one per ReplicaSet, plus one per pod unlike its siblings). */
  int templates() {
    Set<Pod> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    desired.values().stream()
        .filter(w -> w.template != null)
        .forEach(w -> distinct.add(w.template));
    return distinct.size();
  }

  public Set<String> desired() {
    return Set.copyOf(desired.keySet());
  }

  /** The workload's pods as the API server holds them now (the cluster's truth). */
  public List<Pod> livePods() {
    return client.pods().inNamespace(Workload.NAMESPACE).list().getItems();
  }

  /** The names of the nodes the API server holds now. */
  public Set<String> liveNodes() {
    Set<String> nodes = new HashSet<>();
    client.nodes().list().getItems().forEach(n -> nodes.add(n.getMetadata().getName()));
    return nodes;
  }

  private void safeRound() {
    try {
      round();
    } catch (RuntimeException e) {
      // At WARN: a stand-in controller that fails silently makes a lost pod unexplainable.
      LOG.warn("rescheduler round failed (retried in 500 ms): {}", e.toString());
    }
  }

  /** Pods listed per request: a round holds one page of the workload, not the whole of it. */
  static final long PAGE = 500;

  public synchronized void round() {
    Set<String> nodes = new HashSet<>();
    client.nodes().list().getItems().forEach(n -> nodes.add(n.getMetadata().getName()));
    // Desired pods listed as present in this round; names of pods not desired are not kept.
    Set<String> present = new HashSet<>();
    String page = null;
    do {
      PodList list =
          client
              .pods()
              .inNamespace(Workload.NAMESPACE)
              .list(new ListOptionsBuilder().withLimit(PAGE).withContinue(page).build());
      for (Pod p : list.getItems()) {
        visit(p, nodes, present);
      }
      page = list.getMetadata() == null ? null : list.getMetadata().getContinue();
    } while (page != null && !page.isEmpty());
    for (Map.Entry<String, Wanted> e : desired.entrySet()) {
      Wanted wanted = e.getValue();
      // A naked pod has no controller to bring it back: once deleted it is gone (and lost).
      if (!present.contains(e.getKey()) && wanted.seen && wanted.template != null) {
        Pod fresh =
            wanted.template.getMetadata().getName() != null
                ? wanted.template
                : new PodBuilder(wanted.template)
                    .editMetadata()
                    .withName(e.getKey())
                    .endMetadata()
                    .build();
        try {
          client.resource(fresh).create();
          LOG.info("recreated pod {} (its predecessor was deleted)", e.getKey());
        } catch (RuntimeException ex) {
          LOG.warn("recreating pod {} failed (retried next round): {}", e.getKey(), ex.toString());
        }
      }
    }
  }

  private void visit(Pod p, Set<String> nodes, Set<String> present) {
    String name = p.getMetadata().getName();
    Wanted wanted = desired.get(name);
    if (wanted == null) {
      // A ReplicaSet deletes its surplus: a scaled-down pod that is back would stand in for a
      // wanted one in every count of running pods.
      if (retired.contains(name) && p.getMetadata().getDeletionTimestamp() == null) {
        LOG.info("deleting pod {}: scaled down, yet present", name);
        client.resource(p).withGracePeriod(0).delete();
      }
      return;
    }
    wanted.seen = true;
    String node = p.getSpec().getNodeName();
    if (p.getMetadata().getDeletionTimestamp() == null && node != null && !nodes.contains(node)) {
      client.resource(p).withGracePeriod(0).delete();
      return;
    }
    present.add(name);
  }

  private static boolean hasController(Pod p) {
    return p.getMetadata().getOwnerReferences() != null
        && p.getMetadata().getOwnerReferences().stream()
            .anyMatch(r -> Boolean.TRUE.equals(r.getController()));
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
