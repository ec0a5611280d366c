package dev.dovetail.demo;

import dev.dovetail.operator.DovetailOperator;
import dev.dovetail.state.ClusterState;
import dev.dovetail.state.PodUtils;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.PrintStream;
import java.util.Map;

/** Prints the provisioning phase's summary, with why each pod still pending was not placed. */
final class SummaryPrinter {
  private static final int PENDING_SHOWN = 50;

  private SummaryPrinter() {}

  static void print(PrintStream out, Demo.Summary s, DovetailOperator dovetail) {
    out.println();
    out.println("Summary");
    out.printf(
        "  pods:        %d total, %d bound, %d pending%n",
        s.pods().total(), s.pods().bound(), s.pods().pending());
    out.printf("  nodeclaims:  %d (%d initialized)%n", s.nodeClaims(), s.initialized());
    out.printf("  nodes:       %d%n", s.nodes());
    out.printf("  cost:        $%.4f/h%n", s.costPerHour());
    Demo.Summary.Provisioning prov = s.provisioning();
    if (prov != null) {
      out.printf(
          "  provisioning: %d pods nominated, %d bound as nominated, %d"
              + " re-provisioned, %d wave(s), planned $%.4f/h%n",
          prov.nominated(),
          prov.boundAsNominated(),
          prov.reprovisioned(),
          prov.waves(),
          prov.plannedCostPerHour());
    }
    out.printf(
        "  utilization: cpu %.1f%%, memory %.1f%%%n",
        100 * s.cpuUtilization(), 100 * s.memoryUtilization());
    out.println("  nodes by instance type: " + s.byInstanceType());
    out.println("  nodes by zone:          " + s.byZone());
    out.println("  nodes by capacity type: " + s.byCapacityType());
    if (s.pods().pending() > 0) {
      out.println("  pods not placed:");
      Map<String, String> reasons = dovetail.provisioner().unschedulableReasons();
      int shown = 0;
      for (Pod p : dovetail.state().pods()) {
        if (!PodUtils.isBound(p) && shown++ < PENDING_SHOWN) {
          String id = ClusterState.podKey(p);
          out.println(
              "    "
                  + id
                  + ": "
                  + reasons.getOrDefault(id, "waiting for capacity to become ready"));
        }
      }
    }
  }
}
