package dev.dovetail.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dovetail.controllers.disruption.model.ConsolidationScenario;
import dev.dovetail.controllers.disruption.model.ConsolidationScenario.PassResult;
import dev.dovetail.controllers.disruption.model.FixedPoint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dovetail bench consolidation}: one full consolidation pass over a generated, fragmented
 * cluster (mixed node and pod sizes, an AWS-like catalog), timed, with the savings it found.
 */
@Command(
    name = "consolidation",
    mixinStandardHelpOptions = true,
    description = {
      "Times one full consolidation pass (emptiness, multi-node, single-node; commands applied",
      "until the disruption budget is used up or nothing more is found) over a generated cluster,",
      "then runs passes to the fixed point and compares its cost with a lower bound."
    })
public final class BenchConsolidationCommand implements Callable<Integer> {
  @Option(
      names = "--nodes",
      defaultValue = "1000",
      description = "Nodes (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--pods",
      defaultValue = "10000",
      description = "Pods (default ${DEFAULT-VALUE}).")
  int pods;

  @Option(
      names = "--budget",
      defaultValue = "10%",
      description =
          "The NodePool's disruption budget, a count or a percentage (default ${DEFAULT-VALUE},"
              + " upstream's default); 100%% runs consolidation until nothing more is found.")
  String budget;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Scenario seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Option(
      names = "--max-passes",
      defaultValue = "100",
      description =
          "Passes until the fixed point (a pass that finds nothing); each starts from the cluster"
              + " the previous one left, its disruptions completed (default ${DEFAULT-VALUE};"
              + " 1 = one pass only).")
  int maxPasses;

  @Override
  public Integer call() throws Exception {
    if (nodes < 1 || pods < 0) {
      throw new IllegalArgumentException("--nodes must be at least 1 and --pods at least 0");
    }
    if (!budget.matches("^((100|[0-9]{1,2})%|[0-9]+)$")) {
      throw new IllegalArgumentException("--budget must be a count or a percentage, got " + budget);
    }
    if (maxPasses < 1) {
      throw new IllegalArgumentException("--max-passes must be at least 1");
    }
    FixedPoint.Result fp =
        ConsolidationScenario.runToFixedPoint(
            nodes, pods, ConsolidationScenario.catalog(), budget, seed, maxPasses);
    PassResult r = fp.first();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("nodes", r.nodes());
      m.put("pods", r.pods());
      m.put("durationMs", r.durationMs());
      m.put("cpuMs", r.cpuMs());
      m.put("costPerHourBefore", round(r.costPerHourBefore()));
      m.put("costPerHourAfter", round(r.costPerHourAfter()));
      m.put("budget", budget);
      m.put("commands", r.commands());
      m.put("nodesRemoved", r.nodesRemoved());
      m.put("nodesLaunched", r.nodesLaunched());
      m.put("podsLost", r.podsLost());
      m.put("passes", fp.passes());
      m.put("fixedPointMs", fp.durationMs());
      m.put("fixedPointCpuMs", fp.cpuMs());
      m.put("fixedPointNodes", fp.nodes());
      m.put("fixedPointCostPerHour", round(fp.costPerHour()));
      m.put("lowerBoundCostPerHour", round(fp.lowerBoundCostPerHour()));
      m.put("fixedPointRatioToLowerBound", round(fp.costPerHour() / fp.lowerBoundCostPerHour()));
      m.put("fixedPointPodsLost", fp.podsLost());
      System.out.println(new ObjectMapper().writeValueAsString(m));
    } else {
      System.out.printf(
          "consolidation pass over %d nodes / %d pods (budget %s): %d ms (%d ms cpu), %d command(s), %d nodes"
              + " removed, %d launched, $%.2f/h -> $%.2f/h (%.1f%% saved), %d pods lost%n",
          r.nodes(),
          r.pods(),
          budget,
          r.durationMs(),
          r.cpuMs(),
          r.commands(),
          r.nodesRemoved(),
          r.nodesLaunched(),
          r.costPerHourBefore(),
          r.costPerHourAfter(),
          r.costPerHourBefore() == 0
              ? 0
              : 100 * (r.costPerHourBefore() - r.costPerHourAfter()) / r.costPerHourBefore(),
          r.podsLost());
      System.out.printf(
          "fixed point after %d pass(es), %d ms (%d ms cpu): %d nodes, $%.2f/h (lower bound $%.2f/h, ratio"
              + " %.3f), %d pods lost%n",
          fp.passes(),
          fp.durationMs(),
          fp.cpuMs(),
          fp.nodes(),
          fp.costPerHour(),
          fp.lowerBoundCostPerHour(),
          fp.costPerHour() / fp.lowerBoundCostPerHour(),
          fp.podsLost());
    }
    return r.podsLost() == 0 && fp.podsLost() == 0 ? 0 : 1;
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
