package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** {@code spec.template} of a NodePool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeClaimTemplate {
  private ObjectMeta metadata;
  @Required private NodeClaimTemplateSpec spec = new NodeClaimTemplateSpec();

  public ObjectMeta getMetadata() {
    return metadata;
  }

  public void setMetadata(ObjectMeta metadata) {
    this.metadata = metadata;
  }

  public NodeClaimTemplateSpec getSpec() {
    return spec;
  }

  public void setSpec(NodeClaimTemplateSpec spec) {
    this.spec = spec;
  }

  /** Template metadata: labels and annotations copied onto NodeClaims and their Nodes. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ObjectMeta {
    /** A label value: at most 63 characters, alphanumeric at both ends, '-', '_', '.' inside. */
    public static final String LABEL_VALUE_PATTERN =
        "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";

    @Size(max = 100)
    @ValidationRule(
        value =
            "self.all(x, x in [\"karpenter.sh/capacity-type\", \"karpenter.sh/nodepool\"]"
                + " || !x.find(\"^([^/]+)\").endsWith(\"karpenter.sh\"))",
        message = "label domain \"karpenter.sh\" is restricted")
    @ValidationRule(
        value = "self.all(x, x != \"karpenter.sh/nodepool\")",
        message = "label \"karpenter.sh/nodepool\" is restricted")
    @ValidationRule(
        value = "self.all(x, x != \"kubernetes.io/hostname\")",
        message = "label \"kubernetes.io/hostname\" is restricted")
    private Map<String, @Size(max = 63) @Pattern(LABEL_VALUE_PATTERN) String> labels;

    private Map<String, String> annotations;

    public Map<String, String> getLabels() {
      return labels;
    }

    public void setLabels(Map<String, String> labels) {
      this.labels = labels;
    }

    public Map<String, String> getAnnotations() {
      return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
      this.annotations = annotations;
    }
  }
}
