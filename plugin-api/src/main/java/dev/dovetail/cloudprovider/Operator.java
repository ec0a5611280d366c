package dev.dovetail.cloudprovider;

/** Node selector requirement operators, including Karpenter v1's {@code Gte} and {@code Lte}. */
public enum Operator {
  In,
  NotIn,
  Exists,
  DoesNotExist,
  Gt,
  Lt,
  Gte,
  Lte;

  /** Parses an operator name as written in a manifest; null if unknown. */
  public static Operator parse(String name) {
    for (Operator op : values()) {
      if (op.name().equals(name)) {
        return op;
      }
    }
    return null;
  }
}
