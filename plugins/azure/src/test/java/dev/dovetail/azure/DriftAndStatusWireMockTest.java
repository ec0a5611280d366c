package dev.dovetail.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dovetail.azure.v1beta1.AKSNodeClass;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassStatus;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drift (NodeClass hash, image, subnet) and the AKSNodeClass status, against the fake. */
class DriftAndStatusWireMockTest {
  private static final FakeAzure AZURE = AzureFixtures.AZURE;
  private WireMockServer server;
  private AzureCloudProvider provider;
  private final AKSNodeClass nodeClass = AzureFixtures.nodeClass();

  @BeforeEach
  void start() {
    server = AzureFixtures.resetAzure();
    provider = AzureFixtures.provider(server, d -> {});
  }

  @AfterEach
  void stop() {
    provider.close();
  }

  private NodeClaimView launched(String name) {
    NodeClaimView claim =
        new NodeClaimView(
            name,
            "default",
            Map.of(),
            Map.of(),
            List.of(),
            List.of(),
            Requirements.of(Requirement.in(WellKnownLabels.INSTANCE_TYPE, "Standard_D2s_v5")),
            null,
            null,
            nodeClass,
            null,
            null);
    Instance i = provider.create(claim);
    return new NodeClaimView(
        name,
        "default",
        Map.of(),
        Map.of(),
        List.of(),
        List.of(),
        claim.requirements(),
        null,
        null,
        nodeClass,
        i.providerId(),
        i.imageId());
  }

  @Test
  void freshVmIsNotDrifted() {
    assertThat(provider.isDrifted(launched("d1"))).isEmpty();
  }

  @Test
  void nodeClassChangeIsNodeClassDrift() {
    NodeClaimView c = launched("d2");
    nodeClass.getSpec().osDiskSizeGB = 256;
    assertThat(provider.isDrifted(c)).contains("NodeClassDrift");
  }

  @Test
  void newerImageIsImageDrift() {
    NodeClaimView c = launched("d3");
    AZURE.publishImage("202512.01.0");
    AzureCloudProvider fresh = AzureFixtures.provider(server, d -> {}); // image cache is per start
    assertThat(fresh.isDrifted(c)).contains("ImageDrift");
  }

  @Test
  void statusResolvesImagesVersionAndConditionsAndReportsAMissingSubnet() {
    NodeClassStatus status = provider.nodeClassStatus(nodeClass).orElseThrow();
    assertThat(status.isReady()).isTrue();
    assertThat(status.fields().get("kubernetesVersion")).isEqualTo("1.33.3");
    assertThat(status.fields().get("localDNSState")).isEqualTo("Disabled");
    assertThat(status.fields().get("images").toString())
        .contains("2204gen2containerd/versions/" + FakeAzure.IMAGE_VERSION)
        .contains("2204gen2arm64containerd");
    assertThat(status.conditions())
        .extracting(NodeClassStatus.Condition::type)
        .contains("ImagesReady", "KubernetesVersionReady", "SubnetsReady", "ValidationSucceeded");
    AZURE.removeSubnet();
    NodeClassStatus missing = provider.nodeClassStatus(nodeClass).orElseThrow();
    assertThat(missing.isReady()).isFalse();
    assertThat(missing.notReadyMessage()).contains("SubnetsReady").contains("not found");
  }
}
