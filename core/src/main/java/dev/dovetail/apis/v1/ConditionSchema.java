package dev.dovetail.apis.v1;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * Schema-only twin of {@link io.fabric8.kubernetes.api.model.Condition}, giving the CRD upstream's
 * status-condition schema (required type/status/lastTransitionTime, status enum) while the beans
 * keep fabric8's Condition.
 */
public final class ConditionSchema {
  private ConditionSchema() {}

  /** Values of a condition's {@code status}. */
  public enum Status {
    True,
    False,
    Unknown
  }

  @Required
  @Size(max = 316)
  @Pattern(
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")
  public String type;

  @Required public Status status;

  @Required public java.time.OffsetDateTime lastTransitionTime;

  @Size(max = 1024)
  @Pattern("^([A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?|)$")
  public String reason;

  @Size(max = 32768)
  public String message;

  public Long observedGeneration;
}
