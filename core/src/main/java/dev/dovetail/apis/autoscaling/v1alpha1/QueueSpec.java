package dev.dovetail.apis.autoscaling.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A cloud queue whose length is exported; the type must be one the loaded cloud plugin knows (AWS:
 * {@code AWSSQSQueue}, id the queue's ARN or URL).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QueueSpec {
  @Required
  @Size(min = 1)
  public String type;

  @Required
  @Size(min = 1)
  public String id;
}
