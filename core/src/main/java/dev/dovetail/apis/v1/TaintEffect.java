package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonValue;

/** Kubernetes taint effects; used for the CRD schema of {@code taints}/{@code startupTaints}. */
public enum TaintEffect {
  NoSchedule,
  PreferNoSchedule,
  NoExecute;

  @JsonValue
  public String value() {
    return name();
  }
}
