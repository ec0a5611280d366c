package dev.dovetail.simulate;

import dev.dovetail.simulate.SimulationReport.Kept;
import dev.dovetail.simulate.SimulationReport.PlannedNodeClaim;
import dev.dovetail.simulate.SimulationReport.PodResult;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** {@code --output table}: the answer as a person reads it in a terminal. */
public final class ReportTable {
  private ReportTable() {}

  public static void print(SimulationReport r, PrintStream out) {
    out.printf(Locale.ROOT, "question: %s%n", r.question());
    switch (r.question()) {
      case "consolidate" ->
          out.printf(
              Locale.ROOT,
              "cost: $%.4f/h now, $%.4f/h after consolidation (%d node(s) removed or replaced)%n",
              r.existingCostPerHour(),
              r.costPerHour(),
              r.removals().size());
      case "nodepool-change" ->
          out.printf(
              Locale.ROOT,
              "cost: $%.4f/h on %d node(s) before the change, $%.4f/h on %d after (%+.4f/h);"
                  + " unschedulable %d -> %d%n",
              r.change().costPerHourBefore(),
              r.change().nodesBefore(),
              r.change().costPerHourAfter(),
              r.change().nodesAfter(),
              r.change().costPerHourAfter() - r.change().costPerHourBefore(),
              r.change().unschedulableBefore(),
              r.change().unschedulableAfter());
      default ->
          out.printf(
              Locale.ROOT,
              "new capacity: %d NodeClaim(s), $%.4f/h (existing nodes: $%.4f/h); %d pod(s)"
                  + " unschedulable%n",
              r.nodeClaims().size(),
              r.costPerHour(),
              r.existingCostPerHour(),
              r.unschedulable());
    }
    if (!r.removals().isEmpty()) {
      out.println();
      table(
          out,
          List.of("NODE", "ACTION", "METHOD", "$/H", "REPLACEMENTS", "WHY"),
          r.removals().stream()
              .map(
                  x ->
                      List.of(
                          x.node(),
                          x.action(),
                          x.method(),
                          money(x.pricePerHour()),
                          String.join(", ", x.replacements()),
                          x.reason()))
              .toList());
    }
    if (!r.kept().isEmpty()) {
      out.println();
      table(out, List.of("KEPT NODE", "WHY"), r.kept().stream().map(ReportTable::kept).toList());
    }
    if (!r.nodeClaims().isEmpty()) {
      out.println();
      table(
          out,
          List.of("NODECLAIM", "NODEPOOL", "INSTANCE TYPE", "ZONE", "CAPACITY", "$/H", "PODS"),
          r.nodeClaims().stream().map(ReportTable::claim).toList());
    }
    if (!r.pods().isEmpty()) {
      out.println();
      table(
          out,
          List.of("NAMESPACE", "POD", "NODE / NODECLAIM", "INSTANCE TYPE", "REASON"),
          r.pods().stream().map(ReportTable::pod).toList());
    }
    for (String note : r.notes()) {
      out.println("note: " + note);
    }
  }

  private static List<String> kept(Kept k) {
    return List.of(k.node(), k.reason());
  }

  private static List<String> claim(PlannedNodeClaim c) {
    return List.of(
        c.name(),
        c.nodePool(),
        c.instanceType(),
        String.valueOf(c.zone()),
        String.valueOf(c.capacityType()),
        money(c.pricePerHour()),
        String.valueOf(c.pods().size()));
  }

  private static List<String> pod(PodResult p) {
    String where = p.node() != null ? p.node() : p.nodeClaim() != null ? p.nodeClaim() : "-";
    return List.of(
        p.namespace(),
        p.name(),
        where,
        p.instanceType() == null ? "-" : p.instanceType(),
        p.reason() == null ? "" : p.reason());
  }

  private static String money(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  private static void table(PrintStream out, List<String> header, List<List<String>> rows) {
    int[] w = new int[header.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = header.get(i).length();
      for (List<String> r : rows) {
        // the last column (reasons) is not padded
        if (i < w.length - 1) {
          w[i] = Math.max(w[i], r.get(i).length());
        }
      }
    }
    row(out, header, w);
    for (List<String> r : rows) {
      row(out, r, w);
    }
  }

  private static void row(PrintStream out, List<String> cells, int[] w) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      sb.append(c);
      if (i < cells.size() - 1) {
        sb.append(" ".repeat(w[i] - c.length() + 2));
      }
    }
    out.println(sb.toString().stripTrailing());
  }
}
