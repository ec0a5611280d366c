package dev.dovetail.apis.autoscaling.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A PromQL query that must return an instant vector of exactly one sample, and its target. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusMetricSource {
  @Required
  @Size(min = 1)
  public String query;

  @Required public MetricTarget target;
}
