package dev.dovetail.gcp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.gcp.v1alpha1.GCENodeClass;
import dev.dovetail.gcp.v1alpha1.GCENodeClassSpec;
import dev.dovetail.gcp.v1alpha1.ImageSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One WireMock server per JVM playing Compute Engine through {@link FakeGce}. */
final class GceWireMock {
  static final FakeGce GCE = new FakeGce();
  private static WireMockServer wm;

  private GceWireMock() {}

  static synchronized WireMockServer server() {
    if (wm == null) {
      wm = new WireMockServer(wireMockConfig().dynamicPort().extensions(GCE));
      wm.start();
      Runtime.getRuntime().addShutdownHook(new Thread(wm::stop));
    }
    return wm;
  }

  /** Resets state and routes every request to the fake. */
  static WireMockServer reset() {
    WireMockServer server = server();
    server.resetAll();
    GCE.reset();
    server.stubFor(
        any(urlMatching("/compute/v1/.*")).willReturn(aResponse().withTransformers(FakeGce.NAME)));
    return server;
  }

  static Map<String, String> settings() {
    Map<String, String> s = new HashMap<>();
    s.put("project", FakeGce.PROJECT);
    s.put("region", FakeGce.REGION);
    s.put("clusterName", "test-cluster");
    s.put("subnetwork", "nodes");
    s.put("network", "vpc");
    s.put("serviceAccount", "nodes@test-project.iam.gserviceaccount.com");
    s.put("endpoint", "http://localhost:" + server().port());
    s.put("retryBaseDelay", "1ms");
    s.put("retryMaxDelay", "5ms");
    s.put("operationTimeout", "5s");
    s.put("interruptionPollInterval", "0s");
    return s;
  }

  static GcpCloudProvider start(InterruptionListener listener) {
    return start(settings(), listener);
  }

  static GcpCloudProvider start(Map<String, String> settings, InterruptionListener listener) {
    ProviderContext ctx =
        new ProviderContext(
            "test-cluster", settings, Clock.systemUTC(), NodeRegistrar.NONE, listener);
    GcpCloudProvider p = new GcpCloudProvider();
    p.start(GcpSettings.from(ctx), Clock.systemUTC(), listener, Duration.ofMillis(1), false);
    return p;
  }

  static GCENodeClass nodeClass() {
    GCENodeClass nc = new GCENodeClass();
    nc.setMetadata(new ObjectMetaBuilder().withName("default").build());
    GCENodeClassSpec spec = new GCENodeClassSpec();
    spec.imageSelectorTerms = List.of(ImageSelectorTerm.alias("ContainerOptimizedOS@latest"));
    nc.setSpec(spec);
    return nc;
  }
}
