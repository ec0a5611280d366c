package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * A node selector requirement with Karpenter's optional {@code minValues}: the launch must keep at
 * least that many distinct values of {@code key} open (e.g. at least 5 instance families).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeSelectorRequirementWithMinValues {
  @Required
  @Size(max = 316)
  @Pattern(TaintSchema.QUALIFIED_NAME)
  @ValidationRule(
      value =
          "self in [\"karpenter.sh/capacity-type\", \"karpenter.sh/nodepool\"]"
              + " || !self.find(\"^([^/]+)\").endsWith(\"karpenter.sh\")",
      message = "label domain \"karpenter.sh\" is restricted")
  @ValidationRule(
      value = "self != \"kubernetes.io/hostname\"",
      message = "label \"kubernetes.io/hostname\" is restricted")
  private String key;

  /** One of {@link NodeSelectorOperator}. */
  @Required
  @SchemaFrom(type = NodeSelectorOperator.class)
  private String operator;

  private List<@Size(max = 63) @Pattern(NodeClaimTemplate.ObjectMeta.LABEL_VALUE_PATTERN) String>
      values = new ArrayList<>();

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
