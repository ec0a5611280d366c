package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * Dovetail extension ({@code spec.disruption.minimumSavings}, kubernetes-sigs/karpenter#2388):
 * consolidation only acts when it saves at least this much; absent fields mean no threshold, as
 * upstream.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MinimumSavings {
  /** The smallest saving worth disrupting for, as a percentage of the candidates' price. */
  @Min(0)
  @Max(100)
  private Integer percent;

  /** The smallest saving worth disrupting for, in the catalog's currency per hour, e.g. "0.05". */
  @Pattern("^[0-9]+(\\.[0-9]+)?$")
  private String perHour;

  public Integer getPercent() {
    return percent;
  }

  public void setPercent(Integer percent) {
    this.percent = percent;
  }

  public String getPerHour() {
    return perHour;
  }

  public void setPerHour(String perHour) {
    this.perHour = perHour;
  }
}
