package dev.dovetail.scheduling;

/**
 * Knobs of one solve.
 *
 * @param ignorePreferences treat preferred affinities and ScheduleAnyway spreads as absent
 *     (Karpenter's {@code --preference-policy=Ignore})
 * @param maxNodeClaims the most new NodeClaims one solve may plan (back-pressure); pods that would
 *     need more are reported unschedulable with that reason; {@code <= 0} means unlimited
 * @param maxInstanceTypes how many instance-type options a new NodeClaim carries at most (cheapest
 *     first, minValues kept); Karpenter uses 60
 */
public record SchedulingOptions(
    boolean ignorePreferences, int maxNodeClaims, int maxInstanceTypes) {

  public static final SchedulingOptions DEFAULT = new SchedulingOptions(false, 0, 60);

  public SchedulingOptions {
    if (maxInstanceTypes <= 0) {
      maxInstanceTypes = 60;
    }
  }

  public SchedulingOptions withIgnorePreferences(boolean ignore) {
    return new SchedulingOptions(ignore, maxNodeClaims, maxInstanceTypes);
  }

  public SchedulingOptions withMaxNodeClaims(int max) {
    return new SchedulingOptions(ignorePreferences, max, maxInstanceTypes);
  }
}
