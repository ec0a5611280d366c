package dev.dovetail.apis.autoscaling.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** Replicas by time of week: the first behavior whose window holds now wins, else the default. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScheduleSpec {
  @Required public List<ScheduledBehavior> behaviors;

  /** IANA time zone the patterns are read in. */
  @Default("UTC")
  public String timezone;

  @Required
  @Min(0)
  public Integer defaultReplicas;
}
