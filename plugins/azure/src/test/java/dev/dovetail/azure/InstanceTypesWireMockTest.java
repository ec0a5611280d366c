package dev.dovetail.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dovetail.azure.instancetype.AzureLabels;
import dev.dovetail.azure.v1beta1.AKSNodeClass;
import dev.dovetail.azure.v1beta1.AKSNodeClassSpec;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.cloudprovider.testkit.Catalogs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Resource SKUs → instance types, and Retail Prices → offerings, over the wire. */
class InstanceTypesWireMockTest {
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

  private Map<String, InstanceType> types() {
    return Catalogs.byName(provider.instanceTypes(null, nodeClass));
  }

  @Test
  void restrictedSkusAreLeftOutAndZoneRestrictionsRemoveZones() {
    Map<String, InstanceType> types = types();
    assertThat(types).containsKeys("Standard_D2s_v5", "Standard_D2ps_v5", "Standard_NC6s_v3");
    assertThat(types).doesNotContainKey("Standard_D8s_v5");
    assertThat(types.get("Standard_E2s_v5").offerings())
        .extracting(Offering::zone)
        .containsOnly("eastus-1", "eastus-2");
  }

  @Test
  void labelsFollowUpstream() {
    InstanceType d2 = types().get("Standard_D2s_v5");
    assertThat(d2.requirements().get(AzureLabels.SKU_FAMILY).values()).containsExactly("D");
    assertThat(d2.requirements().get(AzureLabels.SKU_VERSION).values()).containsExactly("5");
    assertThat(d2.requirements().get(AzureLabels.SKU_CPU).values()).containsExactly("2");
    assertThat(d2.requirements().get(AzureLabels.SKU_MEMORY).values()).containsExactly("8192");
    assertThat(d2.requirements().get(AzureLabels.SKU_ACCELERATED_NETWORKING).values())
        .containsExactly("true");
    assertThat(d2.requirements().get(WellKnownLabels.ARCH).values()).containsExactly("amd64");
  }

  @Test
  void gpuSizesCarryNvidiaGpusAndGpuLabels() {
    InstanceType nc = types().get("Standard_NC6s_v3");
    assertThat(nc.capacity().get(Resources.NVIDIA_GPU)).isEqualTo(1);
    assertThat(nc.requirements().get(AzureLabels.SKU_GPU_NAME).values()).containsExactly("V100");
    assertThat(nc.requirements().get(AzureLabels.SKU_GPU_COUNT).values()).containsExactly("1");
    assertThat(nc.requirements().get(AzureLabels.SKU_GPU_MANUFACTURER).values())
        .containsExactly("nvidia");
  }

  @Test
  void arm64SizesAreArm64AndDroppedWithArtifactStreaming() {
    assertThat(types().get("Standard_D2ps_v5").requirements().get(WellKnownLabels.ARCH).values())
        .containsExactly("arm64");
    AKSNodeClassSpec.ArtifactStreaming as = new AKSNodeClassSpec.ArtifactStreaming();
    as.enabled = true;
    nodeClass.getSpec().artifactStreaming = as;
    assertThat(types()).doesNotContainKey("Standard_D2ps_v5");
  }

  @Test
  void maxPodsOfTheNodeClassIsThePodsCapacity() {
    nodeClass.getSpec().maxPods = 30;
    assertThat(types().get("Standard_D2s_v5").capacity().get(Resources.PODS)).isEqualTo(30);
  }

  @Test
  void overheadIsAksKubeReservedAndEviction() {
    InstanceType d2 = types().get("Standard_D2s_v5");
    // 2 vCPUs: 6% of 1 + 4% of 1 = 100m; 8 GiB: 25% of 4 + 20% of 4 = 1.8 GiB; eviction 750Mi
    assertThat(d2.overhead().kubeReserved().get(Resources.CPU)).isEqualTo(100);
    assertThat(d2.overhead().kubeReserved().get(Resources.MEMORY)).isEqualTo(1843L << 20);
    assertThat(d2.overhead().evictionThreshold().get(Resources.MEMORY)).isEqualTo(750L << 20);
  }

  @Test
  void builtInCatalogPricesUntilTheRetailApiAnswersThenItsOnDemandAndSpotPrices() {
    assertThat(onDemandPrice("Standard_D2s_v5")).isEqualTo(0.096);
    server.stubFor(
        get(urlPathEqualTo("/api/retail/prices"))
            .withQueryParam("$skiptoken", com.github.tomakehurst.wiremock.client.WireMock.absent())
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"Items\":[{\"armSkuName\":\"Standard_D2s_v5\",\"retailPrice\":0.1,\"meterName\":\"D2s v5\",\"productName\":\"Virtual Machines Dsv5 Series\",\"type\":\"Consumption\"},"
                            + "{\"armSkuName\":\"Standard_D2s_v5\",\"retailPrice\":0.5,\"meterName\":\"D2s v5\",\"productName\":\"Virtual Machines Dsv5 Series Windows\",\"type\":\"Consumption\"}],"
                            + "\"NextPageLink\":\"http://localhost:"
                            + server.port()
                            + "/api/retail/prices?$skiptoken=2\"}")));
    server.stubFor(
        get(urlPathEqualTo("/api/retail/prices"))
            .withQueryParam(
                "$skiptoken", com.github.tomakehurst.wiremock.client.WireMock.equalTo("2"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"Items\":[{\"armSkuName\":\"Standard_D2s_v5\",\"retailPrice\":0.02,\"meterName\":\"D2s v5 Spot\",\"productName\":\"Virtual Machines Dsv5 Series\",\"type\":\"Consumption\"}],\"NextPageLink\":null}")));
    assertThat(provider.core().pricing().refresh()).isTrue();
    assertThat(onDemandPrice("Standard_D2s_v5")).isEqualTo(0.1);
    assertThat(price("Standard_D2s_v5", "spot")).isEqualTo(0.02);
  }

  @Test
  void failedPriceRefreshKeepsTheLastPrices() {
    server.stubFor(
        get(urlPathEqualTo("/api/retail/prices")).willReturn(aResponse().withStatus(500)));
    assertThat(provider.core().pricing().refresh()).isFalse();
    assertThat(onDemandPrice("Standard_D2s_v5")).isEqualTo(0.096);
    assertThat(provider.core().pricing().prices().source()).isEqualTo("built-in catalog");
  }

  private double onDemandPrice(String type) {
    return price(type, "on-demand");
  }

  private double price(String type, String ct) {
    List<Offering> offerings = types().get(type).offerings();
    return offerings.stream()
        .filter(o -> o.capacityType().equals(ct))
        .findFirst()
        .orElseThrow()
        .price();
  }
}
