package dev.dovetail.apis.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Upstream's {@code karpenter.sh/v1alpha1} NodeOverlay (gate {@code NodeOverlay}): changes the
 * price, or adds extended-resource capacity, of the instance types its requirements select, as the
 * provisioner and consolidation see them. Cluster-scoped.
 */
@Group(NodeOverlay.GROUP)
@Version(value = NodeOverlay.VERSION, storage = true, served = true)
@Singular("nodeoverlay")
@Plural("nodeoverlays")
@ShortNames("overlays")
@Categories("karpenter")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Weight",
    jsonPath = ".spec.weight",
    type = AdditionalPrinterColumn.Type.INTEGER,
    priority = 1)
public class NodeOverlay extends CustomResource<NodeOverlaySpec, NodeOverlayStatus> {
  public static final String GROUP = "karpenter.sh";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "NodeOverlay";

  /** Condition types, as upstream. */
  public static final String VALIDATION_SUCCEEDED = "ValidationSucceeded";

  public static final String READY = "Ready";

  @Override
  protected NodeOverlaySpec initSpec() {
    return new NodeOverlaySpec();
  }

  @Override
  protected NodeOverlayStatus initStatus() {
    return new NodeOverlayStatus();
  }
}
