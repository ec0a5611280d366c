package dev.dovetail.gcp.nodeclass;

import dev.dovetail.cloudprovider.NodeClassStatus;
import dev.dovetail.gcp.v1alpha1.GCENodeClass;
import dev.dovetail.gcp.v1alpha1.GCENodeClassStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The status the plugin reports for a GCENodeClass: {@code images} (each with its architecture
 * requirement) and the {@code ImagesReady} condition; the core derives {@code Ready} from it.
 */
public final class NodeClassStatuses {
  private final ImageResolver images;

  public NodeClassStatuses(ImageResolver images) {
    this.images = images;
  }

  public NodeClassStatus status(GCENodeClass nodeClass) {
    Map<String, ImageResolver.ResolvedImage> resolved = images.resolve(nodeClass);
    List<Object> list = new ArrayList<>();
    for (ImageResolver.ResolvedImage image : resolved.values()) {
      Map<String, Object> req = new LinkedHashMap<>();
      req.put("key", "kubernetes.io/arch");
      req.put("operator", "In");
      req.put("values", List.of(image.arch()));
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("sourceImage", image.sourceImage());
      entry.put("requirements", List.of(req));
      list.add(entry);
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("images", list);
    NodeClassStatus.Condition imagesReady =
        resolved.isEmpty()
            ? NodeClassStatus.Condition.isFalse(
                GCENodeClassStatus.IMAGES_READY,
                "ImagesNotFound",
                "no image matches imageSelectorTerms")
            : NodeClassStatus.Condition.isTrue(GCENodeClassStatus.IMAGES_READY, "ImagesReady");
    return new NodeClassStatus(fields, List.of(imagesReady));
  }
}
