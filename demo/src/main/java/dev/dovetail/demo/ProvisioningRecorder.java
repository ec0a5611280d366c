package dev.dovetail.demo;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.controllers.provisioning.Provisioner.ProvisioningListener;
import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.scheduling.SchedulingResult;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.PodUtils;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches the provisioner's plans to report how faithfully the scheduler followed them: which pods
 * each new NodeClaim was planned for, in which solve (wave), and what the plan said it would cost.
 * Every call is forwarded to {@code delegate} (the metrics).
 */
final class ProvisioningRecorder implements ProvisioningListener {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ProvisioningRecorder.class);
  private final ProvisioningListener delegate;
  private final Object lock = new Object();
  private int solves;
  private final Set<Integer> waves = new HashSet<>();

  /** Pod id ({@code namespace/name}) to the NodeClaims (or nodes) it was nominated to, in order. */
  private final Map<String, List<String>> plannedClaims = new HashMap<>();

  private final Map<String, Double> plannedPrice = new ConcurrentHashMap<>();

  ProvisioningRecorder(ProvisioningListener delegate) {
    this.delegate = delegate;
  }

  @Override
  public void solved(SchedulingResult result, int pods, long nanos) {
    synchronized (lock) {
      solves++;
      // Pods placed onto existing nodes or in-flight NodeClaims are nominated there too.
      result.placements().forEach(this::plan);
    }
    delegate.solved(result, pods, nanos);
  }

  @Override
  public void nodeClaimCreated(NodeClaim claim, NewNodeClaim plan) {
    String name = claim.getMetadata().getName();
    synchronized (lock) {
      // The provisioner's pass is synchronized: the claims it creates follow its solve.
      waves.add(solves);
      for (String podId : plan.podIds()) {
        plan(podId, name);
      }
    }
    plannedPrice.put(name, plan.cheapestPrice());
    delegate.nodeClaimCreated(claim, plan);
  }

  @Override
  public void passed(int pods, int nodeClaimsCreated, long nanos) {
    delegate.passed(pods, nodeClaimsCreated, nanos);
  }

  /** Records a nomination; called with {@code lock} held. */
  private void plan(String podId, String target) {
    List<String> targets = plannedClaims.computeIfAbsent(podId, k -> new java.util.ArrayList<>());
    if (targets.isEmpty() || !targets.get(targets.size() - 1).equals(target)) {
      targets.add(target);
    }
  }

  /**
   * How the pods were placed against their plans.
   *
   * @param boundAsNominated pods bound to the node their last nomination named (a NodeClaim's
   *     nomination names the node it registered as)
   * @param reprovisioned pods nominated to more than one node: capacity was planned for them again.
   *     A pod re-nominated to the node its NodeClaim registered as (its first nomination named the
   *     claim, a later one the node) was planned once, so it does not count.
   * @param elsewhere one line per pod not bound as nominated: its nominations and where it is
   */
  record Fidelity(int boundAsNominated, int reprovisioned, List<String> elsewhere) {
    static Fidelity of(
        Map<String, List<String>> planned, Map<String, String> nodeOfClaim, List<Pod> pods) {
      int boundAsNominated = 0;
      int reprovisioned = 0;
      List<String> elsewhere = new java.util.ArrayList<>();
      for (Pod p : pods) {
        List<String> claims = planned.get(ClusterState.podKey(p));
        if (claims == null || claims.isEmpty()) {
          continue;
        }
        List<String> nodes =
            claims.stream().map(c -> nodeOfClaim.getOrDefault(c, c)).distinct().toList();
        if (nodes.size() > 1) {
          reprovisioned++;
        }
        String node = PodUtils.isBound(p) ? p.getSpec().getNodeName() : null;
        String last = claims.get(claims.size() - 1);
        if (node != null && node.equals(nodeOfClaim.getOrDefault(last, last))) {
          boundAsNominated++;
        } else {
          elsewhere.add(
              ClusterState.podKey(p)
                  + " nominated to "
                  + claims
                  + " (nodes "
                  + nodes
                  + "), "
                  + (node == null ? "not bound" : "bound to " + node));
        }
      }
      return new Fidelity(boundAsNominated, reprovisioned, List.copyOf(elsewhere));
    }
  }

  @Override
  public void nodePoolSkipped(String nodePool, String reason) {
    delegate.nodePoolSkipped(nodePool, reason);
  }

  /**
   * The figures for what the run observed so far.
   *
   * @param costPerHour what the launched NodeClaims cost now
   * @param secondsToAllBound when every pod was first bound, or null if never
   */
  Demo.Summary.Provisioning figures(
      ClusterState state, double costPerHour, Double secondsToAllBound) {
    Map<String, String> nodeOfClaim = new HashMap<>();
    Set<String> liveClaims = new HashSet<>();
    for (NodeClaim c : state.nodeClaims()) {
      String name = c.getMetadata().getName();
      liveClaims.add(name);
      String node = c.getStatus() == null ? null : c.getStatus().getNodeName();
      nodeOfClaim.put(name, node == null ? name : node);
    }
    Map<String, List<String>> planned;
    int waveCount;
    synchronized (lock) {
      planned = new HashMap<>();
      plannedClaims.forEach((k, v) -> planned.put(k, List.copyOf(v)));
      waveCount = waves.size();
    }
    Fidelity fidelity = Fidelity.of(planned, nodeOfClaim, state.pods());
    fidelity.elsewhere().forEach(line -> LOG.info("bound elsewhere than planned: {}", line));
    double plannedCost = 0;
    for (Map.Entry<String, Double> e : plannedPrice.entrySet()) {
      // The plan's price of the claims still there: a claim that failed to launch was never paid.
      if (liveClaims.contains(e.getKey())) {
        plannedCost += e.getValue();
      }
    }
    return new Demo.Summary.Provisioning(
        planned.size(),
        fidelity.boundAsNominated(),
        fidelity.reprovisioned(),
        waveCount,
        plannedCost,
        costPerHour,
        secondsToAllBound);
  }
}
