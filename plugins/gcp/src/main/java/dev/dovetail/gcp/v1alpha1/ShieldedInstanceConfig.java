package dev.dovetail.gcp.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Shielded VM options. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ShieldedInstanceConfig {
  public Boolean enableSecureBoot;
  public Boolean enableVtpm;
  public Boolean enableIntegrityMonitoring;
}
