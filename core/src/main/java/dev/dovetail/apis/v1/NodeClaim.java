package dev.dovetail.apis.v1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code karpenter.sh/v1 NodeClaim}: one machine Dovetail asked for, from request to termination.
 * Cluster-scoped; its spec is immutable once created.
 */
@Group(Karpenter.GROUP)
@Version(Karpenter.VERSION)
@Singular("nodeclaim")
@Plural("nodeclaims")
@Categories("karpenter")
@AdditionalPrinterColumn(
    name = "Type",
    jsonPath = ".metadata.labels.node\\.kubernetes\\.io/instance-type",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Capacity",
    jsonPath = ".metadata.labels.karpenter\\.sh/capacity-type",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Zone",
    jsonPath = ".metadata.labels.topology\\.kubernetes\\.io/zone",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Node",
    jsonPath = ".status.nodeName",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "ImageID",
    jsonPath = ".status.imageID",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "ID",
    jsonPath = ".status.providerID",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "NodePool",
    jsonPath = ".metadata.labels.karpenter\\.sh/nodepool",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "NodeClass",
    jsonPath = ".spec.nodeClassRef.name",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Drifted",
    jsonPath = ".status.conditions[?(@.type==\"Drifted\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
public class NodeClaim extends CustomResource<NodeClaimSpec, NodeClaimStatus> {

  @Override
  protected NodeClaimSpec initSpec() {
    return new NodeClaimSpec();
  }

  @Override
  protected NodeClaimStatus initStatus() {
    return new NodeClaimStatus();
  }
}
