package dev.dovetail.apis.v1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code karpenter.sh/v1 NodePool}: a template for NodeClaims plus the rules for disrupting them.
 * Cluster-scoped (it does not implement {@code Namespaced}), wire-compatible with upstream.
 */
@Group(Karpenter.GROUP)
@Version(Karpenter.VERSION)
@Singular("nodepool")
@Plural("nodepools")
@Categories("karpenter")
@AdditionalPrinterColumn(
    name = "NodeClass",
    jsonPath = ".spec.template.spec.nodeClassRef.name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Nodes",
    jsonPath = ".status.nodes",
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
    name = "Weight",
    jsonPath = ".spec.weight",
    type = AdditionalPrinterColumn.Type.INTEGER,
    priority = 1)
@AdditionalPrinterColumn(
    name = "CPU",
    jsonPath = ".status.resources.cpu",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Memory",
    jsonPath = ".status.resources.memory",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
public class NodePool extends CustomResource<NodePoolSpec, NodePoolStatus> {

  @Override
  protected NodePoolSpec initSpec() {
    return new NodePoolSpec();
  }

  @Override
  protected NodePoolStatus initStatus() {
    return new NodePoolStatus();
  }
}
