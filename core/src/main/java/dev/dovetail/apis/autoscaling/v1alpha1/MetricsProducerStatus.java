package dev.dovetail.apis.autoscaling.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.dovetail.apis.v1.ConditionSchema;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The values last produced. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricsProducerStatus {
  public Map<String, Object> pendingCapacity;
  public QueueStatus queue;

  /** Per resource (cpu, memory, pods): "60.00%, 3/5". */
  public Map<String, String> reservedCapacity;

  public ScheduledCapacityStatus scheduledCapacity;

  /** Active: the metric was produced. */
  @io.fabric8.crd.generator.annotation.SchemaFrom(type = ConditionSchema[].class)
  public List<Condition> conditions = new ArrayList<>();

  /** A queue's length. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class QueueStatus {
    public Long length;
    public Long oldestMessageAgeSeconds;
  }

  /** The replicas the schedule recommends now. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ScheduledCapacityStatus {
    public Integer currentValue;
  }
}
