package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;

/** A disruption budget: at most {@code nodes} disrupted at once, optionally in a cron window. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Budget {
  private List<String> reasons;

  @Pattern("^((100|[0-9]{1,2})%|[0-9]+)$")
  @Default("10%")
  private String nodes = "10%";

  private String schedule;

  @Pattern("^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$")
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
