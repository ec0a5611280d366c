package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

/** A node selector requirement with Karpenter's optional {@code minValues}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeSelectorRequirementWithMinValues {
  @Required private String key;
  @Required private String operator;
  private List<String> values = new ArrayList<>();

  @Min(1)
  @Max(50)
  private Integer minValues;

  public NodeSelectorRequirementWithMinValues() {}

  public NodeSelectorRequirementWithMinValues(
      String key, String operator, List<String> values, Integer minValues) {
    this.key = key;
    this.operator = operator;
    this.values = values == null ? new ArrayList<>() : new ArrayList<>(values);
    this.minValues = minValues;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getOperator() {
    return operator;
  }

  public void setOperator(String operator) {
    this.operator = operator;
  }

  public List<String> getValues() {
    return values;
  }

  public void setValues(List<String> values) {
    this.values = values;
  }

  public Integer getMinValues() {
    return minValues;
  }

  public void setMinValues(Integer minValues) {
    this.minValues = minValues;
  }
}
