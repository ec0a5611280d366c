package dev.dovetail.cloudprovider.crd;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * The kubelet's image garbage-collection thresholds as Karpenter's providers declare them in a
 * NodeClass's kubelet block (upstream's {@code KubeletConfiguration}): percentages of the image
 * filesystem, collection starting above the high one and stopping below the low one. A provider's
 * kubelet model extends this; fabric8's CRD generator and Jackson both read inherited public
 * fields. (The rule that high exceeds low sits on the provider's kubelet field, where upstream puts
 * it.)
 */
public abstract class KubeletImageGc {
  @Min(0)
  @Max(100)
  @JsonProperty("imageGCHighThresholdPercent")
  public Integer imageGCHighThresholdPercent;

  @Min(0)
  @Max(100)
  @JsonProperty("imageGCLowThresholdPercent")
  public Integer imageGCLowThresholdPercent;
}
