package dev.dovetail.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dovetail.controllers.disruption.model.ConsolidationScenario;
import dev.dovetail.controllers.disruption.model.ConsolidationScenario.PassResult;
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
      "until the disruption budget is used up or nothing more is found) over a generated cluster."
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
              + " upstream's default); 100% runs consolidation until nothing more is found.")
  String budget;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Scenario seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (nodes < 1 || pods < 0) {
      throw new IllegalArgumentException("--nodes must be at least 1 and --pods at least 0");
    }
    if (!budget.matches("^((100|[0-9]{1,2})%|[0-9]+)$")) {
      throw new IllegalArgumentException("--budget must be a count or a percentage, got " + budget);
    }
    PassResult r =
        ConsolidationScenario.run(nodes, pods, ConsolidationScenario.catalog(), budget, seed);
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("nodes", r.nodes());
      m.put("pods", r.pods());
      m.put("durationMs", r.durationMs());
      m.put("costPerHourBefore", round(r.costPerHourBefore()));
      m.put("costPerHourAfter", round(r.costPerHourAfter()));
      m.put("budget", budget);
      m.put("commands", r.commands());
      m.put("nodesRemoved", r.nodesRemoved());
      m.put("nodesLaunched", r.nodesLaunched());
      m.put("podsLost", r.podsLost());
      System.out.println(new ObjectMapper().writeValueAsString(m));
    } else {
      System.out.printf(
          "consolidation pass over %d nodes / %d pods (budget %s): %d ms, %d command(s), %d nodes"
              + " removed, %d launched, $%.2f/h -> $%.2f/h (%.1f%% saved), %d pods lost%n",
          r.nodes(),
          r.pods(),
          budget,
          r.durationMs(),
          r.commands(),
          r.nodesRemoved(),
          r.nodesLaunched(),
          r.costPerHourBefore(),
          r.costPerHourAfter(),
          r.costPerHourBefore() == 0
              ? 0
              : 100 * (r.costPerHourBefore() - r.costPerHourAfter()) / r.costPerHourBefore(),
          r.podsLost());
    }
    return r.podsLost() == 0 ? 0 : 1;
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
