package dev.dovetail.gcp.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** {@code status} of a GCENodeClass: resolved images and conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GCENodeClassStatus {
  private List<Image> images;
  private List<Condition> conditions;

  /** An image the class resolves to. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Image {
    private String sourceImage;
    private List<io.fabric8.kubernetes.api.model.NodeSelectorRequirement> requirements;

    public String getSourceImage() {
      return sourceImage;
    }

    public void setSourceImage(String sourceImage) {
      this.sourceImage = sourceImage;
    }

    public List<io.fabric8.kubernetes.api.model.NodeSelectorRequirement> getRequirements() {
      return requirements;
    }

    public void setRequirements(
        List<io.fabric8.kubernetes.api.model.NodeSelectorRequirement> requirements) {
      this.requirements = requirements;
    }
  }

  public List<Image> getImages() {
    return images;
  }

  public void setImages(List<Image> images) {
    this.images = images;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
