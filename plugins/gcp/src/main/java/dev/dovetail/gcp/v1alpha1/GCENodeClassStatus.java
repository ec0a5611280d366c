package dev.dovetail.gcp.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import java.util.List;

/** {@code status} of a GCENodeClass: resolved images and conditions ({@code ImagesReady}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GCENodeClassStatus {
  /** The condition upstream reports for image resolution. */
  public static final String IMAGES_READY = "ImagesReady";

  /** The images the selector terms resolve to. */
  public List<Image> images;

  public List<Condition> conditions;

  /** A resolved image and the instance types it runs on. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Image {
    /** e.g. {@code projects/gke-node-images/global/images/gke-1309-...-cos-...}. */
    @Required public String sourceImage;

    @Required public List<NodeSelectorRequirement> requirements;
  }
}
