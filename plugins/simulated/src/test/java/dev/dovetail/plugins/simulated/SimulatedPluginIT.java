package dev.dovetail.plugins.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodePoolInfo;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import io.fabric8.kubernetes.api.model.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;

/**
 * Loads the packaged plugin JAR with PF4J the way the core does: the manifest must be accepted
 * (including Plugin-Requires against the SPI version), the extension index must name
 * SimulatedCloud, and the catalogs must be read from inside the JAR by the plugin's class loader.
 */
class SimulatedPluginIT {

  private static Path pluginJar() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      return files
          .filter(p -> p.getFileName().toString().matches("dovetail-plugin-simulated-.*\\.jar"))
          .filter(p -> !p.getFileName().toString().endsWith("-sources.jar"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no packaged plugin JAR in target/"));
    }
  }

  @Test
  void jarLoadsAsAPf4jPluginAndLaunchesANode() throws Exception {
    Path jar = pluginJar();
    Path dir = Files.createTempDirectory("plugins");
    Files.copy(jar, dir.resolve(jar.getFileName()));
    PluginManager manager = new DefaultPluginManager(dir);
    manager.setSystemVersion(CloudProvider.API_VERSION);
    manager.loadPlugins();
    manager.startPlugins();
    try {
      assertThat(manager.getPlugin("simulated")).isNotNull();
      assertThat(manager.getPlugin("simulated").getPluginState()).isEqualTo(PluginState.STARTED);
      assertThat(manager.getPlugin("simulated").getDescriptor().getRequires())
          .isEqualTo(">=0.1.0 & <0.2.0");

      List<CloudProvider> providers = manager.getExtensions(CloudProvider.class, "simulated");
      assertThat(providers).hasSize(1);
      CloudProvider cloud = providers.get(0);
      assertThat(cloud.name()).isEqualTo("simulated");
      // Loaded from the JAR by the plugin's own class loader, not from target/classes.
      assertThat(cloud.getClass().getClassLoader())
          .isSameAs(manager.getPluginClassLoader("simulated"));

      CompletableFuture<Node> registered = new CompletableFuture<>();
      NodeRegistrar registrar =
          new NodeRegistrar() {
            @Override
            public void register(Node node) {
              registered.complete(node);
            }

            @Override
            public void update(String nodeName, UnaryOperator<Node> change) {}

            @Override
            public void deregister(String nodeName) {}
          };
      cloud.start(
          new ProviderContext(
              "it",
              Map.of("catalog", "azure", "launchLatency", "0"),
              Clock.systemUTC(),
              registrar,
              InterruptionListener.IGNORE));
      try {
        List<InstanceType> types =
            cloud.instanceTypes(new NodePoolInfo("default", null, null, null), null);
        assertThat(types).hasSizeGreaterThan(1000);
        Instance i =
            cloud.create(
                new NodeClaimView(
                    "it-1",
                    "default",
                    Map.of(),
                    Map.of(),
                    List.of(),
                    List.of(),
                    Requirements.of(
                        Requirement.in(WellKnownLabels.INSTANCE_TYPE, "Standard_D2s_v5")),
                    null,
                    null,
                    null,
                    null,
                    null));
        // The real single-thread delayer registers the node; wait for it, bounded.
        Node node = registered.get(30, TimeUnit.SECONDS);
        assertThat(node.getSpec().getProviderID()).isEqualTo(i.providerId());
        assertThat(node.getMetadata().getLabels())
            .containsEntry(WellKnownLabels.INSTANCE_TYPE, "Standard_D2s_v5");
      } finally {
        cloud.close();
      }
    } finally {
      // Not stopPlugins(): PF4J 3.15.0 throws ConcurrentModificationException there once a plugin
      // has started (pf4j/pf4j#656); stopping by id is safe.
      manager.stopPlugin("simulated");
      manager.unloadPlugins();
    }
  }
}
