package dev.dovetail.chart;

import java.util.Map;

/**
 * The providers the chart offers, each with the smallest valid settings, the environment those
 * settings become, and the NodeClass the plugin reads.
 */
enum Provider {
  AWS(
      "aws",
      Map.of("settings.aws.region", "eu-west-1"),
      Map.of("DOVETAIL_PROVIDER_REGION", "eu-west-1"),
      "karpenter.k8s.aws",
      "ec2nodeclasses"),
  AZURE(
      "azure",
      Map.of(
          "settings.azure.subscriptionID", "00000000-0000-0000-0000-000000000001",
          "settings.azure.location", "westeurope"),
      Map.of(
          "DOVETAIL_PROVIDER_SUBSCRIPTION_ID", "00000000-0000-0000-0000-000000000001",
          "DOVETAIL_PROVIDER_LOCATION", "westeurope"),
      "karpenter.azure.com",
      "aksnodeclasses"),
  GCP(
      "gcp",
      Map.of("settings.gcp.project", "my-project"),
      Map.of("DOVETAIL_PROVIDER_PROJECT", "my-project"),
      "karpenter.k8s.gcp",
      "gcenodeclasses"),
  CLUSTERAPI(
      "clusterapi",
      Map.of(
          "settings.clusterapi.managementKubeconfigSecret", "mgmt-kubeconfig",
          "settings.clusterapi.namespace", "capi-clusters"),
      Map.of(
          "DOVETAIL_PROVIDER_MANAGEMENT_KUBECONFIG", "/etc/dovetail/management-kubeconfig/value",
          "DOVETAIL_PROVIDER_NAMESPACE", "capi-clusters"),
      "karpenter.cluster.x-k8s.io",
      "clusterapinodeclasses"),
  SIMULATED("simulated", Map.of(), Map.of(), null, null);

  final String id;
  final Map<String, String> settings;
  final Map<String, String> providerEnv;
  final String nodeClassGroup;
  final String nodeClassResource;

  Provider(
      String id,
      Map<String, String> settings,
      Map<String, String> providerEnv,
      String nodeClassGroup,
      String nodeClassResource) {
    this.id = id;
    this.settings = settings;
    this.providerEnv = providerEnv;
    this.nodeClassGroup = nodeClassGroup;
    this.nodeClassResource = nodeClassResource;
  }

  /** `--set` pairs of a valid install of this provider (a real cloud needs a cluster name). */
  Map<String, Object> validSets() {
    Map<String, Object> sets = RenderedChart.sets("provider", id, "settings.clusterName", "demo");
    sets.putAll(settings);
    return sets;
  }
}
