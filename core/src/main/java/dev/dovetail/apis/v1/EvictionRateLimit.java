package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * Dovetail extension ({@code spec.disruption.evictionRateLimit}, kubernetes-sigs/karpenter#1440):
 * voluntary disruption of the NodePool moves at most {@code pods} pods per {@code period}; absent
 * means unlimited, as upstream.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EvictionRateLimit {
  @Required
  @Min(1)
  private Integer pods;

  /** The window, e.g. {@code 1h} (default) or {@code 10m}. */
  @Pattern(NodeClaimTemplateSpec.DURATION_PATTERN)
  private String period;

  public Integer getPods() {
    return pods;
  }

  public void setPods(Integer pods) {
    this.pods = pods;
  }

  public String getPeriod() {
    return period;
  }

  public void setPeriod(String period) {
    this.period = period;
  }
}
