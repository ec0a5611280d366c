package dev.dovetail.apis.autoscaling.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** The scale target, in the target's namespace (the autoscaler's). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CrossVersionObjectReference {
  @Required public String kind;
  @Required public String name;

  /** e.g. {@code apps/v1}; empty means the core group {@code v1}. */
  public String apiVersion;

  public CrossVersionObjectReference() {}

  public CrossVersionObjectReference(String apiVersion, String kind, String name) {
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.name = name;
  }
}
