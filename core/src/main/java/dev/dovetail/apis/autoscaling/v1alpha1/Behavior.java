package dev.dovetail.apis.autoscaling.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Scaling rules per direction. Missing fields take the HPA's defaults: scale up with no
 * stabilization window, scale down with 300s; both select the policy allowing the largest change.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Behavior {
  public ScalingRules scaleUp;
  public ScalingRules scaleDown;
}
