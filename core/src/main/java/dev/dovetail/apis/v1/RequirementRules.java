package dev.dovetail.apis.v1;

/**
 * The CEL rules upstream puts on every {@code requirements} list, as constants so the NodePool and
 * NodeClaim beans (and the validator's Java implementation of them) share one spelling.
 */
final class RequirementRules {
  private RequirementRules() {}

  static final String IN_NEEDS_VALUES_RULE =
      "self.all(x, x.operator == 'In' ? x.values.size() != 0 : true)";
  static final String IN_NEEDS_VALUES_MESSAGE =
      "requirements with operator 'In' must have a value defined";

  static final String NUMERIC_OPERATOR_RULE =
      "self.all(x, (x.operator == 'Gt' || x.operator == 'Lt' || x.operator == 'Gte' ||"
          + " x.operator == 'Lte') ? (x.values.size() == 1 && int(x.values[0]) >= 0) : true)";
  static final String NUMERIC_OPERATOR_MESSAGE =
      "requirements operator 'Gt', 'Lt', 'Gte', or 'Lte' must have a single positive integer"
          + " value";

  static final String MIN_VALUES_RULE =
      "self.all(x, (x.operator == 'In' && has(x.minValues)) ? x.values.size() >= x.minValues :"
          + " true)";
  static final String MIN_VALUES_MESSAGE =
      "requirements with 'minValues' must have at least that many values specified in the"
          + " 'values' field";

  static final String NO_NODEPOOL_KEY_RULE = "self.all(x, x.key != 'karpenter.sh/nodepool')";
  static final String NO_NODEPOOL_KEY_MESSAGE = "label \"karpenter.sh/nodepool\" is restricted";
}
