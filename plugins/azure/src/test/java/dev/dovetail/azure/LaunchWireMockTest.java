package dev.dovetail.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.dovetail.azure.AzureFixtures.RecordingSleeper;
import dev.dovetail.azure.launch.Tags;
import dev.dovetail.azure.v1beta1.AKSNodeClass;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.cloudprovider.testkit.NodeClaims;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Launch, delete and their failures, with the real SDK clients against the WireMock fake. */
class LaunchWireMockTest {
  private static final FakeAzure AZURE = AzureFixtures.AZURE;
  private WireMockServer server;
  private RecordingSleeper sleeper;
  private AzureCloudProvider provider;
  private final AKSNodeClass nodeClass = AzureFixtures.nodeClass();

  @BeforeEach
  void start() {
    server = AzureFixtures.resetAzure();
    sleeper = new RecordingSleeper();
    provider = AzureFixtures.provider(server, sleeper);
  }

  @AfterEach
  void stop() {
    provider.close();
  }

  private NodeClaimView claim(String name, Requirement... reqs) {
    Requirements r =
        Requirements.of(reqs).and(Requirement.in(WellKnownLabels.NODE_POOL, "default"));
    if (r.get(WellKnownLabels.INSTANCE_TYPE) == null) {
      r =
          r.and(
              Requirement.in(WellKnownLabels.INSTANCE_TYPE, "Standard_D2s_v5", "Standard_D4s_v5"));
    }
    return NodeClaims.pending(
        name, r, Resources.of(Resources.CPU, 500L, Resources.MEMORY, 1L << 30), null, nodeClass);
  }

  @Test
  void spotLaunchIsPrioritySpotWithEvictionDeleteAndMaxPriceMinusOne() {
    Instance i = provider.create(claim("c1"));
    assertThat(i.capacityType()).isEqualTo("spot");
    JsonNode props = AZURE.vm("aks-c1").path("properties");
    assertThat(props.path("priority").asText()).isEqualTo("Spot");
    assertThat(props.path("evictionPolicy").asText()).isEqualTo("Delete");
    assertThat(props.path("billingProfile").path("maxPrice").asDouble()).isEqualTo(-1.0);
  }

  @Test
  void onDemandLaunchIsRegularPriority() {
    Instance i =
        provider.create(claim("c2", Requirement.in(WellKnownLabels.CAPACITY_TYPE, "on-demand")));
    assertThat(i.capacityType()).isEqualTo("on-demand");
    assertThat(AZURE.vm("aks-c2").path("properties").path("priority").asText())
        .isEqualTo("Regular");
    assertThat(AZURE.vm("aks-c2").path("properties").has("billingProfile")).isFalse();
  }

  @Test
  void vmCarriesNicOsDiskImageZoneTagsAndCustomData() {
    Instance i = provider.create(claim("c3", Requirement.in(WellKnownLabels.ZONE, "eastus-2")));
    JsonNode vm = AZURE.vm("aks-c3");
    JsonNode props = vm.path("properties");
    assertThat(vm.path("zones").get(0).asText()).isEqualTo("2");
    assertThat(i.zone()).isEqualTo("eastus-2");
    assertThat(props.path("storageProfile").path("osDisk").path("deleteOption").asText())
        .isEqualTo("Delete");
    assertThat(
            props
                .path("storageProfile")
                .path("imageReference")
                .path("communityGalleryImageId")
                .asText())
        .endsWith("/images/2204gen2containerd/versions/" + FakeAzure.IMAGE_VERSION);
    assertThat(props.path("networkProfile").path("networkInterfaces").get(0).path("id").asText())
        .endsWith("/networkInterfaces/aks-c3");
    assertThat(vm.path("tags").path(Tags.CLUSTER).asText()).isEqualTo("demo");
    assertThat(vm.path("tags").path(Tags.NODE_CLAIM).asText()).isEqualTo("c3");
    assertThat(vm.path("tags").path(Tags.NODE_POOL).asText()).isEqualTo("default");
    String script =
        new String(
            Base64.getDecoder().decode(props.path("osProfile").path("customData").asText()),
            StandardCharsets.UTF_8);
    assertThat(script)
        .contains("server: https://demo-dns.hcp.eastus.azmk8s.io:443")
        .contains("karpenter.sh/nodepool=default")
        .contains("--max-pods=250");
    JsonNode nic = AZURE.nic("aks-c3");
    assertThat(
            nic.path("properties")
                .path("ipConfigurations")
                .get(0)
                .path("properties")
                .path("subnet")
                .path("id")
                .asText())
        .isEqualTo(FakeAzure.SUBNET);
    assertThat(i.providerId())
        .isEqualTo(
            "azure:///subscriptions/"
                + FakeAzure.SUB
                + "/resourceGroups/"
                + FakeAzure.RG
                + "/providers/Microsoft.Compute/virtualMachines/aks-c3");
  }

  @Test
  void arm64SizeGetsTheArm64Image() {
    provider.create(claim("c4", Requirement.in(WellKnownLabels.INSTANCE_TYPE, "Standard_D2ps_v5")));
    assertThat(
            AZURE
                .vm("aks-c4")
                .path("properties")
                .path("storageProfile")
                .path("imageReference")
                .path("communityGalleryImageId")
                .asText())
        .contains("/images/2204gen2arm64containerd/");
  }

  @Test
  void allocationFailureNamesTheOfferingCleansUpAndTheNextLaunchTakesTheNextOffering() {
    OfferingKey first = new OfferingKey("Standard_D2s_v5", "eastus-1", "spot");
    AZURE.fault(first);
    NodeClaimView c = claim("c5", Requirement.in(WellKnownLabels.ZONE, "eastus-1"));
    assertThatThrownBy(() -> provider.create(c))
        .isInstanceOfSatisfying(
            InsufficientCapacityException.class,
            e -> assertThat(e.offerings()).containsExactly(first));
    assertThat(AZURE.vmNames()).doesNotContain("aks-c5");
    assertThat(AZURE.nicNames()).doesNotContain("aks-c5");
    Instance retried = provider.create(c);
    assertThat(new OfferingKey(retried.instanceType(), retried.zone(), retried.capacityType()))
        .isNotEqualTo(first);
    assertThat(AZURE.vmNames()).containsExactly("aks-c5");
  }

  @Test
  void aNicLeftByAFailedLaunchWhoseCleanUpFailedIsCollectedByList() {
    OfferingKey key = new OfferingKey("Standard_D2s_v5", "eastus-1", "spot");
    AZURE.fault(key);
    AZURE.failNicDeletes(100);
    NodeClaimView c =
        claim(
            "c11",
            Requirement.in(WellKnownLabels.ZONE, "eastus-1"),
            Requirement.in(WellKnownLabels.INSTANCE_TYPE, "Standard_D2s_v5"),
            Requirement.in(WellKnownLabels.CAPACITY_TYPE, "spot"));
    assertThatThrownBy(() -> provider.create(c)).isInstanceOf(InsufficientCapacityException.class);
    assertThat(AZURE.nicNames()).containsExactly("aks-c11");
    provider.create(claim("c12"));
    AZURE.failNicDeletes(0);
    assertThat(provider.list()).extracting(Instance::nodeClaim).containsExactly("c12");
    assertThat(AZURE.nicNames()).containsExactly("aks-c12");
  }

  @Test
  void timedOutRequestIsRetried() {
    Instance i = provider.create(claim("c13"));
    server.stubFor(
        get(urlPathMatching(".*/virtualMachines/aks-c13"))
            .atPriority(1)
            .inScenario("slow")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(200).withFixedDelay(3000))
            .willSetStateTo("fast"));
    assertThat(provider.get(i.providerId()).providerId()).isEqualTo(i.providerId());
    assertThat(sleeper.delays).hasSize(1);
  }

  @Test
  void aVmLeftFailedByAnEarlierLaunchIsReplacedNotReturned() {
    AZURE.putFailedVm("aks-c14"); // a launch failed, then the process died before cleaning up
    Instance i = provider.create(claim("c14"));
    assertThat(i.state()).isEqualTo("running");
    assertThat(AZURE.vm("aks-c14").path("properties").path("provisioningState").asText())
        .isEqualTo("Succeeded");
    assertThat(AZURE.vmPuts()).isEqualTo(1);
  }

  @Test
  void crashBetweenVmCreateAndStatusWriteDoesNotCreateASecondVm() {
    Instance first = provider.create(claim("c6"));
    // The controller "crashes" before writing the providerID: a fresh provider retries the claim.
    AzureCloudProvider restarted = AzureFixtures.provider(server, sleeper);
    Instance again = restarted.create(claim("c6"));
    assertThat(again.providerId()).isEqualTo(first.providerId());
    assertThat(AZURE.vmPuts()).isEqualTo(1);
    assertThat(AZURE.vmNames()).containsExactly("aks-c6");
  }

  @Test
  void failingNicDeleteIsRetriedByTheNextDeleteAndNothingLeaks() {
    Instance i = provider.create(claim("c7"));
    AZURE.failNicDeletes(10); // more than the client's bounded retries
    assertThatThrownBy(() -> provider.delete(i.providerId()))
        .isNotInstanceOf(NodeClaimNotFoundException.class);
    assertThat(AZURE.vmNames()).isEmpty();
    assertThat(AZURE.nicNames()).containsExactly("aks-c7");
    assertThat(sleeper.delays).hasSize(3); // maxRetries=3: bounded
    AZURE.failNicDeletes(0);
    provider.delete(i.providerId());
    assertThat(AZURE.nicNames()).isEmpty();
    assertThat(AZURE.diskNames()).isEmpty();
    assertThatThrownBy(() -> provider.delete(i.providerId()))
        .isInstanceOf(NodeClaimNotFoundException.class);
  }

  @Test
  void throttledCallHonoursRetryAfterThenSucceeds() {
    server.stubFor(
        get(urlPathMatching(".*/providers/Microsoft.Compute/skus"))
            .atPriority(1)
            .inScenario("throttle")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7"))
            .willSetStateTo("served"));
    assertThat(provider.instanceTypes(null, nodeClass)).isNotEmpty();
    assertThat(sleeper.delays).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void persistentThrottlingFailsAfterBoundedRetriesInsteadOfReportingNothing() {
    server.stubFor(
        get(urlPathMatching(".*/providers/Microsoft.Compute/skus"))
            .atPriority(1)
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")));
    assertThatThrownBy(() -> provider.instanceTypes(null, nodeClass))
        .isInstanceOf(RuntimeException.class);
    assertThat(sleeper.delays).hasSize(3).allMatch(d -> d.equals(Duration.ofSeconds(2)));
  }

  @Test
  void serverErrorOnVmGetIsRetried() {
    Instance i = provider.create(claim("c8"));
    server.stubFor(
        get(urlPathMatching(".*/virtualMachines/aks-c8"))
            .atPriority(1)
            .inScenario("5xx")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("ok"));
    assertThat(provider.get(i.providerId()).providerId()).isEqualTo(i.providerId());
    assertThat(sleeper.delays).hasSize(1);
  }

  @Test
  void listReturnsOnlyThisClustersVms() {
    provider.create(claim("c9"));
    provider.create(claim("c10"));
    AZURE.tagVm("aks-c10", Tags.CLUSTER, "another-cluster");
    assertThat(provider.list()).extracting(Instance::nodeClaim).containsExactly("c9");
  }

  @Test
  void getOfMalformedProviderIdIsNotFound() {
    assertThatThrownBy(() -> provider.get("aws:///us-east-1a/i-123"))
        .isInstanceOf(NodeClaimNotFoundException.class);
  }
}
