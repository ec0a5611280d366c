package dev.dovetail.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.testkit.PluginZip;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the packaged plugin zip with PF4J, the way the core does for {@code --provider aws}, and
 * runs it against WireMock: the extension, its NodeClass model and the AWS SDK all come from the
 * plugin's own class loader, while the SPI types are the application's.
 */
class PluginZipIT extends AwsWireMockTestBase {

  @Test
  void theZipLoadsWithPf4jAndWorksThroughTheSpi(@TempDir Path pluginsDir) throws Exception {
    try (PluginZip zip = PluginZip.load(pluginsDir, "aws")) {
      CloudProvider aws = zip.provider();
      zip.assertSpiAndModelShared();
      assertThat(aws.name()).isEqualTo("aws");
      // The SDK is the plugin's own copy, from lib/; IRSA: the default chain's web-identity
      // provider loads STS by name; EKS for discovery; TOML for Bottlerocket user data.
      zip.assertBundled(
          "software.amazon.awssdk.services.ec2.Ec2Client",
          "software.amazon.awssdk.services.sts.internal.StsWebIdentityCredentialsProviderFactory",
          "software.amazon.awssdk.services.eks.EksClient",
          "com.fasterxml.jackson.dataformat.toml.TomlMapper");
      // TOML's Jackson base classes are the core's (one Jackson).
      ClassLoader pcl = zip.plugin().getPluginClassLoader();
      assertThat(pcl.loadClass("com.fasterxml.jackson.databind.ObjectMapper").getClassLoader())
          .isNotSameAs(pcl);

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
    }
  }
}
