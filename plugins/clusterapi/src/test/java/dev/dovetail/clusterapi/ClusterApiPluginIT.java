package dev.dovetail.clusterapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodePoolInfo;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.ProviderContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;

/**
 * Loads the packaged plugin JAR with PF4J as the core does ({@code dovetail plugins} lists what
 * this finds): the extension is functional, and started from its no-argument constructor it builds
 * its own management-cluster client from the kubeconfig setting.
 */
class ClusterApiPluginIT {

  private static Path pluginJar() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      return files
          .filter(p -> p.getFileName().toString().matches("dovetail-plugin-clusterapi-.*\\.jar"))
          .filter(p -> !p.getFileName().toString().endsWith("-sources.jar"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no packaged plugin JAR in target/"));
    }
  }

  @Test
  void jarLoadsFunctionalAndReadsTheManagementCluster(@TempDir Path tmp) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("plugins"));
    Path jar = pluginJar();
    Files.copy(jar, dir.resolve(jar.getFileName()));
    PluginManager manager = new DefaultPluginManager(dir);
    manager.setSystemVersion(CloudProvider.API_VERSION);
    manager.loadPlugins();
    manager.startPlugins();
    try (CapiMockCluster cluster = new CapiMockCluster()) {
      cluster.machineDeployment("md-0", 0, Map.of());
      List<CloudProvider> providers = manager.getExtensions(CloudProvider.class, "clusterapi");
      assertThat(providers).hasSize(1);
      CloudProvider cloud = providers.get(0);
      assertThat(cloud.getClass().getClassLoader())
          .isSameAs(manager.getPluginClassLoader("clusterapi"));
      assertThat(cloud.functional()).isTrue();
      assertThat(cloud.status()).startsWith("functional");

      Path kubeconfig = tmp.resolve("kubeconfig");
      Files.writeString(kubeconfig, cluster.kubeconfig());
      cloud.start(
          new ProviderContext(
              "it",
              Map.of(
                  "managementKubeconfig", kubeconfig.toString(),
                  "capiVersion", "v1beta1",
                  "sweepInterval", "0s"),
              Clock.systemUTC(),
              NodeRegistrar.NONE,
              InterruptionListener.IGNORE));
      try {
        assertThat(cloud.instanceTypes(new NodePoolInfo("p", null, Map.of(), null), null))
            .extracting(InstanceType::name)
            .containsExactly("md-0");
      } finally {
        cloud.close();
      }
    }
  }
}
