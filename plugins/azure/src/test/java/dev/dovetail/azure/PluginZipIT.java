package dev.dovetail.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.NodeClassStatus;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.cloudprovider.testkit.PluginZip;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the packaged plugin zip with PF4J, as the core does for {@code --provider azure}, and runs
 * a launch and a delete through the SPI against the WireMock fake: the extension, the AKSNodeClass
 * model and the Azure SDK come from the plugin's class loader; the SPI, fabric8 and Jackson are the
 * application's.
 */
class PluginZipIT {

  @Test
  void theZipLoadsWithPf4jAndLaunchesThroughTheSpi(@TempDir Path pluginsDir) throws Exception {
    WireMockServer server = AzureFixtures.resetAzure();

    try (PluginZip zip = PluginZip.load(pluginsDir, "azure")) {
      CloudProvider azure = zip.provider();
      zip.assertSpiAndModelShared();
      assertThat(azure.functional()).isTrue();
      zip.assertBundled("com.azure.resourcemanager.compute.fluent.ComputeManagementClient");
      ClassLoader pcl = zip.plugin().getPluginClassLoader();
      assertThat(pcl.loadClass("com.fasterxml.jackson.databind.ObjectMapper"))
          .isSameAs(com.fasterxml.jackson.databind.ObjectMapper.class);

      Map<String, String> settings = new HashMap<>(AzureFixtures.settingsMap(server));
      settings.put("pricingRefreshHours", "0");
      azure.start(
          new ProviderContext(
              "demo",
              settings,
              Clock.systemUTC(),
              NodeRegistrar.NONE,
              InterruptionListener.IGNORE));
      try {
        NodeClassKind kind = azure.supportedNodeClasses().get(0);
        assertThat(kind.apiVersion()).isEqualTo("karpenter.azure.com/v1beta1");
        HasMetadata nc =
            Serialization.unmarshal(
                "apiVersion: karpenter.azure.com/v1beta1\nkind: AKSNodeClass\n"
                    + "metadata:\n  name: default\nspec:\n  imageFamily: AzureLinux\n"
                    + "  vnetSubnetID: "
                    + FakeAzure.SUBNET
                    + "\n",
                kind.type());
        List<InstanceType> types = azure.instanceTypes(null, nc);
        assertThat(types).extracting(InstanceType::name).contains("Standard_D2s_v5");
        NodeClassStatus status = azure.nodeClassStatus(nc).orElseThrow();
        assertThat(status.isReady()).isTrue();
        assertThat(status.fields().get("images").toString()).contains("/images/V2gen2/");
        NodeClaimView claim =
            new NodeClaimView(
                "zip-1",
                "default",
                Map.of(),
                Map.of(),
                List.of(),
                List.of(),
                Requirements.of(Requirement.in(WellKnownLabels.INSTANCE_TYPE, "Standard_D2s_v5")),
                null,
                null,
                nc,
                null,
                null);
        Instance i = azure.create(claim);
        assertThat(i.providerId()).endsWith("/virtualMachines/aks-zip-1");
        assertThat(AzureFixtures.AZURE.vm("aks-zip-1").toString()).contains("/images/V2gen2/");
        azure.delete(i.providerId());
        assertThatThrownBy(() -> azure.get(i.providerId()))
            .isInstanceOf(NodeClaimNotFoundException.class);
      } finally {
        azure.close();
      }
    }
  }
}
