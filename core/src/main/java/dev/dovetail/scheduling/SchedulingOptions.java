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
 * @param relaxMinValues plan a claim whose instance types cannot meet a NodePool's minValues
 *     anyway, with those minValues lowered to what the types reach and the claim marked {@link
 *     NewNodeClaim#minValuesRelaxed()} (Karpenter's {@code --min-values-policy=BestEffort}); false
 *     refuses such a claim ({@code Strict})
 */
public record SchedulingOptions(
    boolean ignorePreferences, int maxNodeClaims, int maxInstanceTypes, boolean relaxMinValues) {

  public static final SchedulingOptions DEFAULT = new SchedulingOptions(false, 0, 60, false);

  public SchedulingOptions {
    if (maxInstanceTypes <= 0) {
      maxInstanceTypes = 60;
    }
  }

  /** Options with minValues enforced strictly. */
  public SchedulingOptions(boolean ignorePreferences, int maxNodeClaims, int maxInstanceTypes) {
    this(ignorePreferences, maxNodeClaims, maxInstanceTypes, false);
  }

  public SchedulingOptions withIgnorePreferences(boolean ignore) {
    return new SchedulingOptions(ignore, maxNodeClaims, maxInstanceTypes, relaxMinValues);
  }

  public SchedulingOptions withMaxNodeClaims(int max) {
    return new SchedulingOptions(ignorePreferences, max, maxInstanceTypes, relaxMinValues);
  }

  public SchedulingOptions withRelaxMinValues(boolean relax) {
    return new SchedulingOptions(ignorePreferences, maxNodeClaims, maxInstanceTypes, relax);
  }
}
