package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonValue;

/** Requirement operators accepted by {@code karpenter.sh/v1} (Kubernetes' six plus Gte/Lte). */
public enum NodeSelectorOperator {
  In,
  NotIn,
  Exists,
  DoesNotExist,
  Gt,
  Lt,
  Gte,
  Lte;

  @JsonValue
  public String value() {
    return name();
  }

  /** Whether the operator compares a single non-negative integer value. */
  public boolean numeric() {
    return this == Gt || this == Lt || this == Gte || this == Lte;
  }
}
