package dev.dovetail.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.ProviderContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * Loads the packaged plugin zip with PF4J, the way the core does for {@code --provider aws}, and
 * runs it against WireMock: the extension, its NodeClass model and the AWS SDK all come from the
 * plugin's own class loader, while the SPI types are the application's.
 */
class PluginZipIT extends AwsWireMockTestBase {

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

    DefaultPluginManager pm = new DefaultPluginManager(pluginsDir);
    pm.setSystemVersion(CloudProvider.API_VERSION);
    pm.loadPlugins();
    pm.startPlugins();
    try {
      PluginWrapper plugin = pm.getPlugin("aws");
      assertThat(plugin).isNotNull();
      assertThat(plugin.getPluginState()).isEqualTo(PluginState.STARTED);
      List<CloudProvider> providers = pm.getExtensions(CloudProvider.class, "aws");
      assertThat(providers).hasSize(1);
      CloudProvider aws = providers.get(0);
      assertThat(aws.name()).isEqualTo("aws");
      assertThat(aws.getClass().getClassLoader()).isSameAs(plugin.getPluginClassLoader());
      // The SDK is the plugin's own copy, from lib/.
      assertThat(
              aws.getClass()
                  .getClassLoader()
                  .loadClass("software.amazon.awssdk.services.ec2.Ec2Client")
                  .getClassLoader())
          .isSameAs(plugin.getPluginClassLoader());
      // IRSA: the default chain's web-identity provider loads STS by name; EKS for discovery.
      for (String sdkClass :
          List.of(
              "software.amazon.awssdk.services.sts.internal.StsWebIdentityCredentialsProviderFactory",
              "software.amazon.awssdk.services.eks.EksClient",
              "com.fasterxml.jackson.dataformat.toml.TomlMapper")) {
        assertThat(plugin.getPluginClassLoader().loadClass(sdkClass).getClassLoader())
            .isSameAs(plugin.getPluginClassLoader());
      }
      // TOML's Jackson base classes are the core's (one Jackson).
      assertThat(
              plugin
                  .getPluginClassLoader()
                  .loadClass("com.fasterxml.jackson.databind.ObjectMapper")
                  .getClassLoader())
          .isNotSameAs(plugin.getPluginClassLoader());
      // ... while the SPI and fabric8 come from the application (not bundled).
      assertThat(
              plugin.getPluginClassLoader().loadClass("dev.dovetail.cloudprovider.CloudProvider"))
          .isSameAs(CloudProvider.class);
      assertThat(
              plugin
                  .getPluginClassLoader()
                  .loadClass("io.fabric8.kubernetes.api.model.HasMetadata"))
          .isSameAs(HasMetadata.class);

      Map<String, String> settings =
          Map.of(
              "region",
              AwsFixtures.REGION,
              "endpoint",
              "http://localhost:" + wm.port(),
              "accessKeyId",
              "AKIAIOSFODNN7EXAMPLE",
              "secretAccessKey",
              "secret",
              "kubernetesVersion",
              AwsFixtures.K8S,
              "clusterEndpoint",
              "https://ABCDEF0123456789.gr7.us-west-2.eks.amazonaws.com",
              "pricingRefreshMinutes",
              "720");
      aws.start(new ProviderContext("demo", settings, clock, NodeRegistrar.NONE, events::add));
      try {
        NodeClassKind kind = aws.supportedNodeClasses().get(0);
        assertThat(kind.apiVersion()).isEqualTo("karpenter.k8s.aws/v1");
        assertThat(kind.kind()).isEqualTo("EC2NodeClass");
        HasMetadata nc =
            Serialization.unmarshal(Serialization.asYaml(al2023NodeClass()), kind.type());
        List<InstanceType> types = aws.instanceTypes(null, nc);
        assertThat(types)
            .extracting(InstanceType::name)
            .contains("m5.large", "m7g.large", "g5.xlarge");
      } finally {
        aws.close();
      }
    } finally {
      pm.unloadPlugins(); // stops them too (PF4J's stopPlugins() trips over its own list here)
    }
  }
}
