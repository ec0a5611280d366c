package dev.dovetail.controllers.disruption.model;

import dev.dovetail.scheduling.NewNodeClaim;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A disruption decision: which nodes go, what (if anything) replaces them, and why.
 *
 * @param method the method that decided
 * @param candidates the nodes to disrupt
 * @param replacements NodeClaims to launch (and wait for) before the candidates are deleted
 * @param priceBefore the candidates' price per hour
 * @param priceAfter the replacements' price per hour (cheapest launchable offering)
 * @param rejected candidates considered and not taken, with the reason
 * @param placements where the simulation put the candidates' pods that go to existing nodes (pod id
 *     to node name); pods of replacements are in their {@code podIds}
 */
public record Command(
    Method method,
    List<Candidate> candidates,
    List<NewNodeClaim> replacements,
    double priceBefore,
    double priceAfter,
    Map<String, String> rejected,
    Map<String, String> placements) {

  public Command {
    candidates = List.copyOf(candidates);
    replacements = List.copyOf(replacements);
    // in the planner's order (cheapest to disrupt first), which describeRejected shows the first
    // of: Map.copyOf's order changes from JVM to JVM
    rejected =
        rejected == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rejected));
    placements = placements == null ? Map.of() : Map.copyOf(placements);
  }

  public Command(
      Method method,
      List<Candidate> candidates,
      List<NewNodeClaim> replacements,
      double priceBefore,
      double priceAfter,
      Map<String, String> rejected) {
    this(method, candidates, replacements, priceBefore, priceAfter, rejected, Map.of());
  }

  public Command withRejected(Map<String, String> r) {
    return new Command(method, candidates, replacements, priceBefore, priceAfter, r, placements);
  }

  public boolean isDelete() {
    return replacements.isEmpty();
  }

  public int podCount() {
    int n = 0;
    for (Candidate c : candidates) {
      n += c.pods().size();
    }
    return n;
  }

  /** One line for logs and events: method, nodes, price before and after, replacements. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append(method.label())
        .append(": ")
        .append(isDelete() ? "delete " : "replace ")
        .append(candidates.size())
        .append(" node(s) [")
        .append(candidates.stream().map(Candidate::toString).collect(Collectors.joining(", ")))
        .append("]");
    if (!isDelete()) {
      sb.append(" with ")
          .append(replacements.size())
          .append(" node(s) [")
          .append(
              replacements.stream()
                  .map(
                      r ->
                          r.nodePool()
                              + ":"
                              + (r.instanceTypeOptions().isEmpty()
                                  ? "?"
                                  : r.instanceTypeOptions().get(0).name())
                              + (r.instanceTypeOptions().size() > 1
                                  ? " (+" + (r.instanceTypeOptions().size() - 1) + " options)"
                                  : ""))
                  .collect(Collectors.joining(", ")))
          .append("]");
    }
    sb.append(String.format(", $%.4f/h -> $%.4f/h", priceBefore, priceAfter));
    sb.append(", ").append(podCount()).append(" pod(s) move");
    return sb.toString();
  }

  /** Why other candidates were not taken, in one line (at most {@code max} entries). */
  public String describeRejected(int max) {
    if (rejected.isEmpty()) {
      return "no other candidates";
    }
    String shown =
        rejected.entrySet().stream()
            .limit(max)
            .map(e -> e.getKey() + ": " + e.getValue())
            .collect(Collectors.joining("; "));
    return rejected.size() > max ? shown + "; ... " + (rejected.size() - max) + " more" : shown;
  }
}
