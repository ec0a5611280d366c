package dev.dovetail.demo;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.operator.DovetailOperator;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.simulate.ReportHtml;
import dev.dovetail.simulate.ReportHtml.TimelinePoint;
import dev.dovetail.simulate.SimulationReport;
import dev.dovetail.simulate.SimulationReport.NodeBar;
import dev.dovetail.simulate.SimulationReport.PodBar;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.PodUtils;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dovetail demo --report FILE}: the simulate command's HTML report for the demo's final
 * cluster (each node with its pods' requests and its price) and the timeline sampled over the run.
 */
final class DemoReport {
  private DemoReport() {}

  /** The final cluster as a report: every node, its allocatable, its pods and its $/h. */
  static SimulationReport finalState(DovetailOperator dovetail) {
    ClusterState state = dovetail.state();
    Map<String, NodeClaim> claimOfNode = new HashMap<>();
    for (NodeClaim c : state.nodeClaims()) {
      String node = c.getStatus() == null ? null : c.getStatus().getNodeName();
      claimOfNode.put(node == null ? c.getMetadata().getName() : node, c);
    }
    List<NodeBar> bars = new ArrayList<>();
    double cost = 0;
    for (Node n : state.nodes()) {
      String name = n.getMetadata().getName();
      Resources alloc =
          n.getStatus() == null
              ? Resources.EMPTY
              : CloudProviderFacade.resources(n.getStatus().getAllocatable());
      List<PodBar> pods = new ArrayList<>();
      for (Pod p : state.podsOn(name)) {
        if (PodUtils.isTerminal(p)) {
          continue;
        }
        Resources r = Binder.requests(p);
        pods.add(new PodBar(ClusterState.podKey(p), r.get(Resources.CPU), r.get(Resources.MEMORY)));
      }
      NodeClaim claim = claimOfNode.get(name);
      double price = claim == null ? 0 : dovetail.cloud().price(claim);
      cost += price;
      Map<String, String> labels =
          n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
      bars.add(
          new NodeBar(
              name,
              false,
              labels.get(WellKnownLabels.NODE_POOL),
              labels.get(WellKnownLabels.INSTANCE_TYPE),
              price,
              alloc.get(Resources.CPU),
              alloc.get(Resources.MEMORY),
              pods));
    }
    int pending = 0;
    for (Pod p : state.pods()) {
      if (!PodUtils.isBound(p) && !PodUtils.isTerminal(p) && !PodUtils.isTerminating(p)) {
        pending++;
      }
    }
    return new SimulationReport(
        "demo",
        0,
        cost,
        List.of(),
        List.of(),
        pending,
        bars,
        List.of(),
        List.of(),
        null,
        List.of(
            "The final cluster of a dovetail demo run; pending pods are counted as unschedulable."));
  }

  static void write(Path file, SimulationReport report, List<TimelinePoint> timeline)
      throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, ReportHtml.render(report, timeline));
  }
}
