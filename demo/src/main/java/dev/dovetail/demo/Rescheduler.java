package dev.dovetail.demo;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
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
  private final Map<String, Pod> desired = new ConcurrentHashMap<>();

  /** Desired pods listed as present at least once: only these are recreated when absent. */
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  /** Pods scaled down: one found alive again (recreated meanwhile) is surplus and deleted. */
  private final Set<String> retired = ConcurrentHashMap.newKeySet();

  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "rescheduler");
            t.setDaemon(true);
            return t;
          });

  public Rescheduler(KubernetesClient client, List<Pod> pods) {
    this.client = client;
    for (Pod p : pods) {
      desired.put(p.getMetadata().getName(), p);
    }
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

  public synchronized void round() {
    Set<String> nodes = new HashSet<>();
    client.nodes().list().getItems().forEach(n -> nodes.add(n.getMetadata().getName()));
    Set<String> present = new HashSet<>();
    for (Pod p : client.pods().inNamespace(Workload.NAMESPACE).list().getItems()) {
      String name = p.getMetadata().getName();
      present.add(name);
      seen.add(name);
      if (!desired.containsKey(name)) {
        // A ReplicaSet deletes its surplus: a scaled-down pod that is back would stand in for a
        // wanted one in every count of running pods.
        if (retired.contains(name) && p.getMetadata().getDeletionTimestamp() == null) {
          LOG.info("deleting pod {}: scaled down, yet present", name);
          client.resource(p).withGracePeriod(0).delete();
        }
        continue;
      }
      String node = p.getSpec().getNodeName();
      if (p.getMetadata().getDeletionTimestamp() == null && node != null && !nodes.contains(node)) {
        client.resource(p).withGracePeriod(0).delete();
        present.remove(name);
      }
    }
    for (Map.Entry<String, Pod> e : desired.entrySet()) {
      // A naked pod has no controller to bring it back: once deleted it is gone (and lost).
      if (!present.contains(e.getKey())
          && seen.contains(e.getKey())
          && hasController(e.getValue())) {
        Pod fresh =
            new PodBuilder(e.getValue())
                .editMetadata()
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
        try {
          client.resource(fresh).create();
          LOG.info("recreated pod {} (its predecessor was deleted)", e.getKey());
        } catch (RuntimeException ex) {
          LOG.warn("recreating pod {} failed (retried next round): {}", e.getKey(), ex.toString());
        }
      }
    }
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
