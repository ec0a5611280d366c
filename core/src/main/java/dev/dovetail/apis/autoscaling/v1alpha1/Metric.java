package dev.dovetail.apis.autoscaling.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** One metric source; v0.1 has only Prometheus. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Metric {
  @Required public PrometheusMetricSource prometheus;
}
