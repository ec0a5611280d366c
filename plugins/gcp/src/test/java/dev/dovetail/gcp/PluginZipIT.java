package dev.dovetail.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.testkit.PluginZip;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the packaged plugin zip with PF4J, as the core does for {@code --provider gcp}, and runs it
 * against WireMock: the extension, its model and google-cloud-compute come from the plugin's class
 * loader, the SPI and fabric8 from the application.
 */
class PluginZipIT {

  @Test
  void theZipLoadsWithPf4jAndWorksThroughTheSpi(@TempDir Path pluginsDir) throws Exception {
    GceWireMock.reset();

    try (PluginZip zip = PluginZip.load(pluginsDir, "gcp")) {
      CloudProvider gcp = zip.provider();
      zip.assertSpiAndModelShared();
      assertThat(gcp.functional()).isTrue();
      zip.assertBundled("com.google.cloud.compute.v1.InstancesClient");

      gcp.start(
          new ProviderContext(
              "test-cluster",
              GceWireMock.settings(),
              Clock.systemUTC(),
              NodeRegistrar.NONE,
              InterruptionListener.IGNORE));
      try {
        NodeClassKind kind = gcp.supportedNodeClasses().get(0);
        assertThat(kind.apiVersion()).isEqualTo("karpenter.k8s.gcp/v1alpha1");
        HasMetadata nc =
            Serialization.unmarshal(Serialization.asYaml(GceWireMock.nodeClass()), kind.type());
        List<InstanceType> types = gcp.instanceTypes(null, nc);
        assertThat(types)
            .extracting(InstanceType::name)
            .contains("n2-standard-4", "t2a-standard-4");
        assertThat(gcp.nodeClassStatus(nc).orElseThrow().isReady()).isTrue();
      } finally {
        gcp.close();
      }
    }
  }
}
