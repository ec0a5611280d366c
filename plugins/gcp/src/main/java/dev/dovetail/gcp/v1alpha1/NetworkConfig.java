package dev.dovetail.gcp.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Per-interface network settings (the shape of GKE node pools' {@code network_config}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NetworkConfig {
  /** Internal IPs only; unset follows the cluster. */
  public Boolean enablePrivateNodes;

  /** The primary interface's subnetwork, {@code projects/P/regions/R/subnetworks/N}. */
  public String subnetwork;

  /** Secondary interfaces. */
  @Size(max = 7)
  public List<AdditionalNetworkInterface> additionalNetworkInterfaces;

  /** A secondary network interface. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AdditionalNetworkInterface {
    /** The VPC network; unset means the cluster's network. */
    public String network;

    @Required
    @Size(min = 1)
    public String subnetwork;
  }
}
