package dev.dovetail.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.ProviderContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * Loads the packaged plugin zip with PF4J, as the core does for {@code --provider gcp}, and runs it
 * against WireMock: the extension, its model and google-cloud-compute come from the plugin's class
 * loader, the SPI and fabric8 from the application.
 */
class PluginZipIT {

  @Test
  void theZipLoadsWithPf4jAndWorksThroughTheSpi(@TempDir Path pluginsDir) throws Exception {
    Path zip;
    try (Stream<Path> s = Files.list(Path.of("target"))) {
      zip =
          s.filter(p -> p.getFileName().toString().endsWith("-plugin.zip"))
              .findFirst()
              .orElseThrow();
    }
    Files.copy(zip, pluginsDir.resolve(zip.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    GceWireMock.reset();

    DefaultPluginManager pm = new DefaultPluginManager(pluginsDir);
    pm.setSystemVersion(CloudProvider.API_VERSION);
    pm.loadPlugins();
    pm.startPlugins();
    try {
      PluginWrapper plugin = pm.getPlugin("gcp");
      assertThat(plugin).isNotNull();
      assertThat(plugin.getPluginState()).isEqualTo(PluginState.STARTED);
      List<CloudProvider> providers = pm.getExtensions(CloudProvider.class, "gcp");
      assertThat(providers).hasSize(1);
      CloudProvider gcp = providers.get(0);
      assertThat(gcp.functional()).isTrue();
      assertThat(
              gcp.getClass()
                  .getClassLoader()
                  .loadClass("com.google.cloud.compute.v1.InstancesClient")
                  .getClassLoader())
          .isSameAs(plugin.getPluginClassLoader());
      assertThat(
              plugin.getPluginClassLoader().loadClass("dev.dovetail.cloudprovider.CloudProvider"))
          .isSameAs(CloudProvider.class);
      assertThat(
              plugin
                  .getPluginClassLoader()
                  .loadClass("io.fabric8.kubernetes.api.model.HasMetadata"))
          .isSameAs(HasMetadata.class);

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
    } finally {
      pm.unloadPlugins();
    }
  }
}
