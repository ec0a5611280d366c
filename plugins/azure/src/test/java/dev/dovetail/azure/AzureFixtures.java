package dev.dovetail.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dovetail.azure.arm.Sleeper;
import dev.dovetail.azure.options.AzureSettings;
import dev.dovetail.azure.v1beta1.AKSNodeClass;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One WireMock server playing Azure for every test class, and the settings that point at it. */
final class AzureFixtures {
  static final FakeAzure AZURE = new FakeAzure();
  private static WireMockServer wm;

  private AzureFixtures() {}

  static synchronized WireMockServer server() {
    if (wm == null) {
      wm = new WireMockServer(wireMockConfig().dynamicPort().extensions(AZURE));
      wm.start();
      Runtime.getRuntime().addShutdownHook(new Thread(wm::stop));
    }
    return wm;
  }

  /** Resets the fake and routes every ARM request to it. */
  static WireMockServer resetAzure() {
    WireMockServer server = server();
    server.resetAll();
    AZURE.reset();
    server.stubFor(
        any(urlMatching("/(subscriptions|operations)/.*"))
            .atPriority(10)
            .willReturn(aResponse().withTransformers(FakeAzure.NAME)));
    return server;
  }

  static Map<String, String> settingsMap(WireMockServer server) {
    Map<String, String> s = new HashMap<>();
    s.put("subscriptionID", FakeAzure.SUB);
    s.put("tenantID", "00000000-0000-0000-0000-0000000000aa");
    s.put("location", FakeAzure.LOCATION);
    s.put("nodeResourceGroup", FakeAzure.RG);
    s.put("vnetSubnetID", FakeAzure.SUBNET);
    s.put("clusterEndpoint", "https://demo-dns.hcp.eastus.azmk8s.io:443");
    s.put("kubernetesVersion", "1.33.3");
    s.put("bootstrapToken", "abcdef.0123456789abcdef");
    s.put("armEndpoint", "http://localhost:" + server.port());
    s.put("pricingEndpoint", "http://localhost:" + server.port());
    s.put("pollIntervalMs", "1");
    s.put("maxRetries", "3");
    s.put("retryBaseDelayMs", "1");
    s.put("retryMaxDelayMs", "60000");
    s.put("httpTimeoutMs", "1000");
    return s;
  }

  static AzureSettings settings(WireMockServer server) {
    Map<String, String> m = settingsMap(server);
    return AzureSettings.from("demo", k -> Optional.ofNullable(m.get(k)));
  }

  /** A provider on the fake, with a sleeper that records instead of waiting. */
  static AzureCloudProvider provider(WireMockServer server, Sleeper sleeper) {
    AzureCloudProvider p = new AzureCloudProvider();
    p.start(settings(server), Clock.systemUTC(), sleeper);
    return p;
  }

  static AKSNodeClass nodeClass() {
    AKSNodeClass nc = new AKSNodeClass();
    nc.setMetadata(new ObjectMetaBuilder().withName("default").build());
    return nc;
  }

  /** Records the delays it is asked to wait. */
  static final class RecordingSleeper implements Sleeper {
    final List<Duration> delays = new ArrayList<>();

    @Override
    public synchronized void sleep(Duration delay) {
      delays.add(delay);
    }
  }
}
