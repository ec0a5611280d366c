package dev.dovetail.plugins;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.NodeClassKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One plugin found in the plugins directory and the provider it contributes.
 *
 * @param pluginId PF4J {@code Plugin-Id}
 * @param version PF4J {@code Plugin-Version}
 * @param source the .jar, .zip or directory it was loaded from
 * @param provider the {@link CloudProvider} extension, empty when the plugin contributes none;
 *     every call to it runs with the plugin's class loader as the thread context class loader
 * @param functional whether the provider can launch machines (false without a provider)
 * @param status one-line human-readable status
 * @param nodeClassKinds the NodeClass kinds the provider reads (empty without a provider)
 */
public record LoadedProvider(
    String pluginId,
    String version,
    Path source,
    Optional<CloudProvider> provider,
    boolean functional,
    String status,
    List<NodeClassKind> nodeClassKinds) {

  public LoadedProvider {
    nodeClassKinds = List.copyOf(nodeClassKinds);
  }

  /** The name {@code --provider} matches: the provider's {@code name()}, else the plugin id. */
  public String name() {
    return provider.map(CloudProvider::name).orElse(pluginId);
  }

  /** Whether {@code --provider NAME} designates this plugin (provider name or plugin id). */
  boolean answersTo(String requested) {
    return requested.equals(name()) || requested.equals(pluginId);
  }

  /** e.g. {@code aws (plugin aws 0.1.0, aws-0.1.0.jar)}. */
  String label() {
    String id = name().equals(pluginId) ? "" : " " + pluginId;
    return name() + " (plugin" + id + " " + version + ", " + source.getFileName() + ")";
  }
}
