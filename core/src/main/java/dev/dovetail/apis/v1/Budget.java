package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * A disruption budget: at most {@code nodes} NodeClaims of the pool disrupted at once, optionally
 * only for some {@code reasons} and only within a cron {@code schedule} window of {@code duration}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Budget {
  public static final String NODES_PATTERN = "^((100|[0-9]{1,2})%|[0-9]+)$";
  public static final String SCHEDULE_PATTERN =
      "^(@(annually|yearly|monthly|weekly|daily|midnight|hourly))|((.+)\\s(.+)\\s(.+)\\s(.+)\\s(.+))$";
  public static final String DURATION_PATTERN = "^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$";

  /** Values of {@link DisruptionReason}; unset means the budget applies to every reason. */
  @SchemaFrom(type = DisruptionReason[].class)
  @Size(max = 50)
  private List<String> reasons;

  @Required
  @Pattern(NODES_PATTERN)
  @Default("10%")
  private String nodes = "10%";

  /** Standard 5-field cron or a macro such as {@code @daily}, in UTC; requires duration. */
  @Pattern(SCHEDULE_PATTERN)
  private String schedule;

  /** How long the budget is active after each schedule hit (hours/minutes only). */
  @Pattern(DURATION_PATTERN)
  private String duration;

  public Budget() {}

  public Budget(String nodes) {
    this.nodes = nodes;
  }

  public List<String> getReasons() {
    return reasons;
  }

  public void setReasons(List<String> reasons) {
    this.reasons = reasons;
  }

  public String getNodes() {
    return nodes;
  }

  public void setNodes(String nodes) {
    this.nodes = nodes;
  }

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public String getDuration() {
    return duration;
  }

  public void setDuration(String duration) {
    this.duration = duration;
  }
}
