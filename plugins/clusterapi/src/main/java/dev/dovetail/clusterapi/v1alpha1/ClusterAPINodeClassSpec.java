package dev.dovetail.clusterapi.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;

/**
 * {@code spec} of a ClusterAPINodeClass. {@code scalableResourceSelector} is upstream's field;
 * {@code namespace} and {@code clusterName} are Dovetail's optional narrowing of it, so upstream
 * manifests apply unchanged.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterAPINodeClassSpec {
  @JsonPropertyDescription(
      "Selects, by label, the Cluster API scalable resources (MachineDeployments, MachineSets,"
          + " MachinePools) that take part in provisioning. When unset, those labelled"
          + " node.cluster.x-k8s.io/karpenter-member are selected.")
  public LabelSelector scalableResourceSelector;

  @JsonPropertyDescription(
      "Only scalable resources in this namespace of the management cluster (default: all"
          + " namespaces).")
  public String namespace;

  @JsonPropertyDescription(
      "Only scalable resources of this Cluster (label cluster.x-k8s.io/cluster-name); default:"
          + " any cluster.")
  public String clusterName;
}
