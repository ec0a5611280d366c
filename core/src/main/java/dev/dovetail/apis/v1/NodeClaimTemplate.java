package dev.dovetail.apis.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
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
    private Map<String, String> labels;
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
