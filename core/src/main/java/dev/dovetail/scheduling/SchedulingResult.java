package dev.dovetail.scheduling;

import java.util.List;
import java.util.Map;

/**
 * What one solve decided.
 *
 * @param placements pod id to existing node / in-flight NodeClaim name
 * @param newNodeClaims NodeClaims to create, with their pods
 * @param unschedulable pod id to a reason a person can act on
 */
public record SchedulingResult(
    Map<String, String> placements,
    List<NewNodeClaim> newNodeClaims,
    Map<String, String> unschedulable) {

  public SchedulingResult {
    placements = Map.copyOf(placements);
    newNodeClaims = List.copyOf(newNodeClaims);
    unschedulable = Map.copyOf(unschedulable);
  }

  /** The sum of the new NodeClaims' cheapest prices. */
  public double newNodesCostPerHour() {
    double sum = 0;
    for (NewNodeClaim c : newNodeClaims) {
      sum += c.cheapestPrice();
    }
    return sum;
  }

  /** How many pods were placed, on existing or new capacity. */
  public int scheduledPodCount() {
    int n = placements.size();
    for (NewNodeClaim c : newNodeClaims) {
      n += c.podIds().size();
    }
    return n;
  }
}
