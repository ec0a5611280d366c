package dev.dovetail.apis.autoscaling.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** {@code replicas} from the last {@code start} until the next {@code end}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScheduledBehavior {
  @Required
  @Min(0)
  public Integer replicas;

  @Required public Pattern start;
  @Required public Pattern end;
}
