package dev.dovetail.demo;

import dev.dovetail.apis.v1.Karpenter.Conditions;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.operator.DovetailOperator;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.simulate.ReportHtml;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.PodUtils;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the demo's cluster from the controllers' cache once a second: pods bound and pending,
 * NodeClaims by lifecycle stage, cost, utilisation and the mix bought. Every reading is also a
 * point of the report's timeline.
 */
final class DemoObserver {
  private final DovetailOperator dovetail;
  private final long t0;
  private final List<ReportHtml.TimelinePoint> timeline =
      Collections.synchronizedList(new ArrayList<>());

  /**
   * @param t0 {@link System#nanoTime()} when the demo started (elapsed times count from there)
   */
  DemoObserver(DovetailOperator dovetail, long t0) {
    this.dovetail = dovetail;
    this.t0 = t0;
  }

  /** The timeline so far. */
  List<ReportHtml.TimelinePoint> timeline() {
    return List.copyOf(timeline);
  }

  /** The cluster now, {@code expectedPods} being how many pods should be running. */
  Demo.Summary observe(int expectedPods) {
    ClusterState state = dovetail.state();
    int bound = 0;
    int pending = 0;
    Resources requested = Resources.EMPTY;
    for (Pod p : state.pods()) {
      if (PodUtils.isBound(p)) {
        bound++;
        requested = requested.add(Binder.requests(p));
      } else if (!PodUtils.isTerminal(p)) {
        pending++;
      }
    }
    int claims = 0;
    int launched = 0;
    int registered = 0;
    int initialized = 0;
    double cost = 0;
    Map<String, Integer> byType = new TreeMap<>();
    Map<String, Integer> byZone = new TreeMap<>();
    Map<String, Integer> byCapacityType = new TreeMap<>();
    for (NodeClaim claim : state.nodeClaims()) {
      claims++;
      var conditions = claim.getStatus() == null ? null : claim.getStatus().getConditions();
      if (dev.dovetail.kube.Conditions.isTrue(conditions, Conditions.LAUNCHED)) {
        launched++;
        Map<String, String> labels = claim.getMetadata().getLabels();
        cost += dovetail.cloud().price(claim);
        byType.merge(labels.get(WellKnownLabels.INSTANCE_TYPE), 1, Integer::sum);
        byZone.merge(labels.get(WellKnownLabels.ZONE), 1, Integer::sum);
        byCapacityType.merge(labels.get(WellKnownLabels.CAPACITY_TYPE), 1, Integer::sum);
      }
      if (dev.dovetail.kube.Conditions.isTrue(conditions, Conditions.REGISTERED)) {
        registered++;
      }
      if (dev.dovetail.kube.Conditions.isTrue(conditions, Conditions.INITIALIZED)) {
        initialized++;
      }
    }
    Resources allocatable = Resources.EMPTY;
    int nodes = 0;
    for (Node n : state.nodes()) {
      nodes++;
      if (n.getStatus() != null) {
        allocatable =
            allocatable.add(CloudProviderFacade.resources(n.getStatus().getAllocatable()));
      }
    }
    double cpuUtil = ratio(requested.get(Resources.CPU), allocatable.get(Resources.CPU));
    double memUtil = ratio(requested.get(Resources.MEMORY), allocatable.get(Resources.MEMORY));
    double elapsed = (System.nanoTime() - t0) / 1e9;
    timeline.add(new ReportHtml.TimelinePoint(elapsed, bound, expectedPods, nodes, cost));
    return new Demo.Summary(
        elapsed,
        new Demo.Summary.Pods(expectedPods, bound, pending),
        claims,
        launched,
        registered,
        initialized,
        nodes,
        cost,
        cpuUtil,
        memUtil,
        byType,
        byZone,
        byCapacityType,
        null,
        null);
  }

  private static double ratio(long a, long b) {
    return b == 0 ? 0 : (double) a / b;
  }
}
