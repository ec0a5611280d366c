package dev.dovetail.aws.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;

/**
 * The cluster's endpoint, CA bundle, Kubernetes version and service CIDR: the provider settings
 * where given, else {@code eks:DescribeCluster} of the cluster name, as upstream discovers them. A
 * success is kept for ten minutes (the version moves on upgrades), a failure for one, so a missing
 * permission is retried soon after it is granted but does not cost a call per launch.
 */
public final class ClusterDiscovery {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterDiscovery.class);
  static final Duration SUCCESS_TTL = Duration.ofMinutes(10);
  static final Duration FAILURE_TTL = Duration.ofMinutes(1);

  private final String clusterName;
  private final ClusterInfo given;
  private final EksClient eks;
  private final Clock clock;
  private volatile Cached cached;

  private record Cached(ClusterInfo info, Instant until) {}

  /**
   * @param clusterName the EKS cluster's name
   * @param given what the provider settings say (blank fields are discovered)
   */
  public ClusterDiscovery(String clusterName, ClusterInfo given, EksClient eks, Clock clock) {
    this.clusterName = clusterName;
    this.given = given;
    this.eks = eks;
    this.clock = clock;
  }

  /**
   * Settings over discovery; never throws (a failed discovery is in {@link ClusterInfo#problem}).
   */
  public ClusterInfo current() {
    if (complete(given)) {
      return given;
    }
    Cached c = cached;
    if (c == null || !clock.instant().isBefore(c.until())) {
      c = describe();
      cached = c;
    }
    ClusterInfo found = c.info();
    return new ClusterInfo(
        pick(given.endpoint(), found.endpoint()),
        pick(given.caBundle(), found.caBundle()),
        pick(given.kubernetesVersion(), found.kubernetesVersion()),
        pick(given.serviceCidr(), found.serviceCidr()),
        found.problem());
  }

  private static boolean complete(ClusterInfo i) {
    return !blank(i.endpoint())
        && !blank(i.caBundle())
        && !blank(i.kubernetesVersion())
        && !blank(i.serviceCidr());
  }

  private Cached describe() {
    try {
      Cluster cl = eks.describeCluster(r -> r.name(clusterName)).cluster();
      var net = cl.kubernetesNetworkConfig();
      String cidr =
          net == null
              ? ""
              : !blank(net.serviceIpv4Cidr())
                  ? net.serviceIpv4Cidr()
                  : net.serviceIpv6Cidr() == null ? "" : net.serviceIpv6Cidr();
      ClusterInfo info =
          new ClusterInfo(
              nz(cl.endpoint()),
              cl.certificateAuthority() == null ? "" : nz(cl.certificateAuthority().data()),
              nz(cl.version()),
              cidr,
              "");
      return new Cached(info, clock.instant().plus(SUCCESS_TTL));
    } catch (SdkException e) {
      LOG.warn(
          "eks:DescribeCluster {} failed; using provider settings only: {}",
          clusterName,
          e.getMessage());
      return new Cached(
          new ClusterInfo("", "", "", "", "eks:DescribeCluster failed: " + e.getMessage()),
          clock.instant().plus(FAILURE_TTL));
    }
  }

  private static String pick(String given, String found) {
    return blank(given) ? nz(found) : given;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
