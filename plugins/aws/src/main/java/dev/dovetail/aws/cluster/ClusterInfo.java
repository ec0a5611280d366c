package dev.dovetail.aws.cluster;

/**
 * What nodes need to know about the cluster to join it, each from a provider setting or else from
 * {@code eks:DescribeCluster}. A blank field is unknown.
 *
 * @param endpoint API server URL the kubelet talks to
 * @param caBundle base64 cluster CA
 * @param kubernetesVersion minor version ({@code 1.33}) for AMI selection
 * @param serviceCidr the cluster's service CIDR (AL2023's nodeadm needs it)
 * @param problem why discovery gave nothing (empty when it worked or was not needed)
 */
public record ClusterInfo(
    String endpoint,
    String caBundle,
    String kubernetesVersion,
    String serviceCidr,
    String problem) {

  public boolean hasEndpoint() {
    return endpoint != null && !endpoint.isBlank();
  }

  public boolean hasKubernetesVersion() {
    return kubernetesVersion != null && !kubernetesVersion.isBlank();
  }

  /** Why the endpoint is unknown, for the NodeClass condition. */
  public String endpointMessage(String clusterName) {
    return "the cluster endpoint of "
        + clusterName
        + " is unknown: set provider setting clusterEndpoint (CLUSTER_ENDPOINT) or allow"
        + " eks:DescribeCluster"
        + (problem == null || problem.isBlank() ? "" : " (" + problem + ")");
  }
}
