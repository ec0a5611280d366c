package dev.dovetail.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's Kubernetes version as the API server reports it ({@code /version}), handed to the
 * provider as setting {@value #SETTING} (e.g. {@code 1.33}) for image selection. A provider setting
 * rather than a {@code ProviderContext} field, so plugins built against the current SPI keep
 * working; an explicit {@code --provider-setting kubernetesVersion=...} wins.
 */
public final class KubernetesVersion {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesVersion.class);

  /** The provider setting the version is passed in. */
  public static final String SETTING = "kubernetesVersion";

  private KubernetesVersion() {}

  /** {@code major.minor}, or empty (logged) when the API server does not say. */
  public static Optional<String> fromApiServer(KubernetesClient client) {
    try {
      return parse(client.getKubernetesVersion());
    } catch (RuntimeException e) {
      LOG.warn("reading the Kubernetes version from the API server failed: {}", e.toString());
      return Optional.empty();
    }
  }

  static Optional<String> parse(VersionInfo info) {
    if (info == null || info.getMajor() == null || info.getMinor() == null) {
      return Optional.empty();
    }
    // GKE and EKS report minors such as "33+"
    String minor = info.getMinor().replaceAll("[^0-9]", "");
    String major = info.getMajor().replaceAll("[^0-9]", "");
    if (major.isEmpty() || minor.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(major + "." + minor);
  }
}
