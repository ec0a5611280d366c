package dev.dovetail.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.testkit.MutableClock;
import dev.dovetail.cloudprovider.testkit.WireFaultStubs;
import dev.dovetail.cloudprovider.testkit.WireMockConformanceTest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The plugin-api conformance kit, with the real SDK clients against WireMock.
 *
 * <p>Its chaos pass runs over the wire: CreateFleet answering {@code InsufficientInstanceCapacity}
 * in its errors for the faulted offerings, EC2 throttling ({@code RequestLimitExceeded}), 500s and
 * answers held back past the SDK's call timeout on CreateFleet, DescribeInstances and
 * TerminateInstances, plus the kit's own decorator faults. {@code -Dchaos.steps=400} runs longer.
 */
class AwsConformanceWireMockTest extends WireMockConformanceTest {
  private static final FakeEc2Instances EC2 = new FakeEc2Instances();
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  private static WireMockServer wm;
  private final EC2NodeClass nodeClass = AwsWireMockTestBase.al2023NodeClass();

  private static synchronized WireMockServer server() {
    if (wm == null) {
      wm = new WireMockServer(wireMockConfig().dynamicPort().extensions(EC2));
      wm.start();
      Runtime.getRuntime().addShutdownHook(new Thread(wm::stop));
    }
    return wm;
  }

  @Override
  protected CloudProvider startProvider() {
    WireMockServer server = server();
    server.resetAll();
    EC2.reset();
    AwsWireMockTestBase.installDefaults(server);
    useWireFaults(new WireFaultStubs(server, new Ec2WireFaults(CALL_TIMEOUT.plusSeconds(2))));
    for (String action : new String[] {"CreateFleet", "DescribeInstances", "TerminateInstances"}) {
      server.stubFor(
          AwsWireMockTestBase.ec2(action)
              .willReturn(aResponse().withTransformers(FakeEc2Instances.NAME)));
    }
    Map<String, String> s = new HashMap<>();
    s.put("region", AwsFixtures.REGION);
    s.put("endpoint", "http://localhost:" + server.port());
    s.put("accessKeyId", "AKIAIOSFODNN7EXAMPLE");
    s.put("secretAccessKey", "secret");
    s.put("clusterEndpoint", "https://ABCDEF.gr7.us-west-2.eks.amazonaws.com");
    s.put("clusterCIDR", "10.100.0.0/16");
    s.put("kubernetesVersion", AwsFixtures.K8S);
    s.put("retryBaseDelayMs", "1");
    s.put("retryMaxDelayMs", "5");
    // a wire timeout is a fixed delay past this bound on one call with its retries
    s.put("apiCallTimeoutMs", String.valueOf(CALL_TIMEOUT.toMillis()));
    AwsCloudProvider aws = new AwsCloudProvider();
    aws.start(
        AwsSettings.from("demo", s),
        new MutableClock(Instant.parse("2025-11-20T12:00:00Z")),
        InterruptionListener.IGNORE,
        false);
    aws.core().pricing().refresh();
    return aws;
  }

  @Override
  protected Object nodeClass() {
    return nodeClass;
  }

  @Override
  protected boolean forceInsufficientCapacity(OfferingKey offering) {
    EC2.fault(offering);
    return true;
  }
}
