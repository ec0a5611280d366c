package dev.dovetail.apis.autoscaling.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;

/** Exactly one producer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "[has(self.pendingCapacity), has(self.reservedCapacity), has(self.scheduleSpec),"
            + " has(self.queue)].filter(x, x).size() == 1",
    message = "exactly one of pendingCapacity, reservedCapacity, scheduleSpec or queue must be set")
public class MetricsProducerSpec {
  public NodeSelectorSpec pendingCapacity;
  public QueueSpec queue;
  public ReservedCapacitySpec reservedCapacity;

  @com.fasterxml.jackson.annotation.JsonProperty("scheduleSpec")
  public ScheduleSpec scheduleSpec;
}
