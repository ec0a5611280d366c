package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The disruption methods a budget can be limited to ({@code spec.disruption.budgets[].reasons}).
 */
public enum DisruptionReason {
  Underutilized,
  Empty,
  Drifted;

  @JsonValue
  public String value() {
    return name();
  }
}
