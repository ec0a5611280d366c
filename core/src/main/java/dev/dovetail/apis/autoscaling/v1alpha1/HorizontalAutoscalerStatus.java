package dev.dovetail.apis.autoscaling.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.dovetail.apis.v1.ConditionSchema;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the autoscaler last saw and did. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HorizontalAutoscalerStatus {
  /** When the target's replicas were last changed (RFC 3339); starts stabilization windows. */
  public String lastScaleTime;

  /** The target's replicas as last read. */
  public Integer currentReplicas;

  /** The replicas last computed. */
  public Integer desiredReplicas;

  /** The last value read for each metric. */
  public List<MetricStatus> currentMetrics;

  /** Active, AbleToScale, ScalingUnbounded. */
  @io.fabric8.crd.generator.annotation.SchemaFrom(type = ConditionSchema[].class)
  public List<Condition> conditions = new ArrayList<>();

  /** The last value read for one metric. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class MetricStatus {
    public PrometheusMetricStatus prometheus;
  }

  /** A query and the value it returned. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class PrometheusMetricStatus {
    public String query;
    public String value;
  }
}
