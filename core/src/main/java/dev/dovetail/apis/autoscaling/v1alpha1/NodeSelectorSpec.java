package dev.dovetail.apis.autoscaling.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** Nodes by label (pendingCapacity). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeSelectorSpec {
  @Required public Map<String, String> nodeSelector;
}
