package dev.dovetail.apis.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** A node selector requirement; operators In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte, Lte. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeOverlayRequirement {
  @Required public String key;

  @Required
  @ValidationRule(
      value = "self in ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt', 'Gte', 'Lte']",
      message = "operator must be one of In, NotIn, Exists, DoesNotExist, Gt, Lt, Gte, Lte")
  public String operator;

  public List<String> values;

  public NodeOverlayRequirement() {}

  public NodeOverlayRequirement(String key, String operator, List<String> values) {
    this.key = key;
    this.operator = operator;
    this.values = values;
  }
}
