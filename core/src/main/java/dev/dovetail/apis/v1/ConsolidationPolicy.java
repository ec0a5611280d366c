package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The values of {@code spec.disruption.consolidationPolicy}. The bean field stays a String (what
 * other code reads); this enum gives the CRD schema its {@code enum} and callers a typed view.
 */
public enum ConsolidationPolicy {
  WhenEmpty,
  WhenEmptyOrUnderutilized,
  /** Consolidate only when the move's savings score is at least 1/k (k = {@link #BALANCED_K}). */
  Balanced;

  /** Upstream's {@code BalancedK}: the Balanced policy's savings threshold divisor. */
  public static final int BALANCED_K = 2;

  @JsonValue
  public String value() {
    return name();
  }
}
