package dev.dovetail.apis.v1;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** {@code nodeClassRef}: the provider NodeClass a NodePool or NodeClaim uses. */
public class NodeClassReference {
  @Required
  @Pattern("^[^/]*$")
  @ValidationRule(value = "self != ''", message = "group may not be empty")
  private String group;

  @Required
  @ValidationRule(value = "self != ''", message = "kind may not be empty")
  private String kind;

  @Required
  @ValidationRule(value = "self != ''", message = "name may not be empty")
  private String name;

  public NodeClassReference() {}

  public NodeClassReference(String group, String kind, String name) {
    this.group = group;
    this.kind = kind;
    this.name = name;
  }

  public String getGroup() {
    return group;
  }

  public void setGroup(String group) {
    this.group = group;
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
