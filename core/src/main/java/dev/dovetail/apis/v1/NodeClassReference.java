package dev.dovetail.apis.v1;

import io.fabric8.generator.annotation.Required;

/** {@code nodeClassRef}: the provider NodeClass a NodePool or NodeClaim uses. */
public class NodeClassReference {
  @Required private String group;
  @Required private String kind;
  @Required private String name;

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
