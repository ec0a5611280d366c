package dev.dovetail.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.cloudprovider.InterruptionEvent;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassRef;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.cloudprovider.testkit.MutableClock;
import dev.dovetail.cloudprovider.testkit.NodeClaims;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.services.ec2.model.CreateFleetError;
import software.amazon.awssdk.services.ec2.model.CreateFleetInstance;
import software.amazon.awssdk.services.ec2.model.CreateFleetResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSpotPriceHistoryResponse;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.SpotPrice;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Runs the real AWS SDK clients of the plugin against WireMock: EC2 (query/XML), SSM, Pricing and
 * SQS (JSON), IAM (query/XML). Each test starts from a healthy account (see {@link AwsFixtures});
 * tests add stubs for their case (WireMock prefers the newest matching stub).
 */
public abstract class AwsWireMockTestBase {
  protected WireMockServer wm;
  protected MutableClock clock = new MutableClock(Instant.parse("2025-11-20T12:00:00Z"));
  protected AwsCloudProvider provider;
  protected final List<InterruptionEvent> events = new CopyOnWriteArrayList<>();

  protected Map<String, String> extraSettings() {
    return Map.of();
  }

  /** The core's interruption listener as the provider sees it (default: records the events). */
  protected dev.dovetail.cloudprovider.InterruptionListener listener() {
    return events::add;
  }

  /** False: the default credentials chain decides (IRSA, Pod Identity tests). */
  protected boolean staticCredentials() {
    return true;
  }

  @BeforeEach
  void startAws() {
    wm = server();
    wm.resetAll();
    defaultStubs();
    Map<String, String> s = new HashMap<>();
    s.put("region", AwsFixtures.REGION);
    s.put("endpoint", "http://localhost:" + wm.port());
    if (staticCredentials()) {
      s.put("accessKeyId", "AKIAIOSFODNN7EXAMPLE");
      s.put("secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    }
    s.put("clusterEndpoint", "https://ABCDEF0123456789.gr7.us-west-2.eks.amazonaws.com");
    s.put(
        "clusterCABundle",
        "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUMvakNDQWVhZ0F3SUJBZ0lCQURBTkJna3Foa2lHOXcwQkFRc0ZBREFWTVJNd0VRWURWUVFERXdwcmRXSmwKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=");
    s.put("clusterCIDR", "10.100.0.0/16");
    s.put("kubernetesVersion", AwsFixtures.K8S);
    s.put("maxAttempts", "4");
    s.put("retryBaseDelayMs", "1");
    s.put("retryMaxDelayMs", "5");
    s.put("apiRateLimit", "1000");
    s.put("apiBurst", "1000");
    s.putAll(extraSettings());
    provider = new AwsCloudProvider();
    provider.start(AwsSettings.from("demo", s), clock, listener(), false);
  }

  @AfterEach
  void stopAws() {
    if (provider != null) {
      provider.close();
    }
  }

  private static WireMockServer shared;

  /** One server per test JVM (starting one costs seconds); every test resets it. */
  private static synchronized WireMockServer server() {
    if (shared == null) {
      shared = new WireMockServer(wireMockConfig().dynamicPort());
      shared.start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
    }
    return shared;
  }

  // ------------------------------------------------------------------ stubbing

  public static MappingBuilder ec2(String action) {
    return post(urlPathEqualTo("/")).withRequestBody(containing("Action=" + action + "&"));
  }

  protected void stubEc2(String action, String xml) {
    stubEc2(wm, action, xml);
  }

  public static void stubEc2(WireMockServer wm, String action, String xml) {
    wm.stubFor(
        ec2(action)
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/xml;charset=UTF-8")
                    .withBody(xml)));
  }

  protected void stubEc2Error(String action, int status, String code, String message) {
    stubEc2Error(wm, action, status, code, message);
  }

  protected static void stubEc2Error(
      WireMockServer wm, String action, int status, String code, String message) {
    wm.stubFor(
        ec2(action)
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "text/xml;charset=UTF-8")
                    .withBody(Ec2Xml.error(code, message))));
  }

  public static MappingBuilder json(String target) {
    return post(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(target));
  }

  protected void stubSsm(String name, String value) {
    stubSsm(wm, name, value);
  }

  public static void stubSsm(WireMockServer wm, String name, String value) {
    wm.stubFor(
        json("AmazonSSM.GetParameter")
            .withRequestBody(matchingJsonPath("$.Name", equalTo(name)))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/x-amz-json-1.1")
                    .withBody(
                        "{\"Parameter\":{\"ARN\":\"arn:aws:ssm:us-west-2::parameter"
                            + name
                            + "\",\"DataType\":\"text\",\"LastModifiedDate\":1.762193511E9,\"Name\":\""
                            + name
                            + "\",\"Type\":\"String\",\"Value\":\""
                            + value
                            + "\",\"Version\":42}}")));
  }

  protected void defaultStubs() {
    installDefaults(wm);
  }

  /** A healthy account: every describe answers from {@link AwsFixtures}. */
  public static void installDefaults(WireMockServer wm) {
    stubEc2(wm, "DescribeInstanceTypes", AwsFixtures.describeInstanceTypes());
    stubEc2(wm, "DescribeInstanceTypeOfferings", AwsFixtures.describeInstanceTypeOfferings());
    stubEc2(wm, "DescribeSubnets", AwsFixtures.describeSubnets());
    stubEc2(wm, "DescribeSecurityGroups", AwsFixtures.describeSecurityGroups());
    stubEc2(
        wm,
        "DescribeImages",
        AwsFixtures.describeImages(
            concat(AwsFixtures.al2023Images(), AwsFixtures.bottlerocketImages())));
    stubEc2(
        wm,
        "DescribeInstances",
        Ec2Xml.response("DescribeInstances", DescribeInstancesResponse.builder().build()));
    stubEc2(wm, "DescribeSpotPriceHistory", spotPrices());
    stubEc2Error(
        wm,
        "DescribeLaunchTemplates",
        400,
        "InvalidLaunchTemplateName.NotFoundException",
        "At least one of the launch templates specified in the request does not exist.");
    wm.stubFor(
        ec2("DescribeLaunchTemplates")
            .withRequestBody(containing("Filter.1.Name"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        Ec2Xml.response(
                            "DescribeLaunchTemplates",
                            software.amazon.awssdk.services.ec2.model
                                .DescribeLaunchTemplatesResponse.builder()
                                .build()))));
    stubEc2(wm, "CreateLaunchTemplate", resource("create-launch-template.xml"));
    // SSM: every parameter missing unless a test or the alias stubs below say otherwise.
    wm.stubFor(
        json("AmazonSSM.GetParameter")
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/x-amz-json-1.1")
                    .withBody("{\"__type\":\"ParameterNotFound\",\"message\":\"\"}")));
    String base = "/aws/service/eks/optimized-ami/" + AwsFixtures.K8S + "/amazon-linux-2023/";
    stubSsm(wm, base + "x86_64/standard/recommended/image_id", AwsFixtures.AMI_X86);
    stubSsm(wm, base + "arm64/standard/recommended/image_id", AwsFixtures.AMI_ARM);
    stubSsm(wm, base + "x86_64/nvidia/recommended/image_id", AwsFixtures.AMI_X86_NVIDIA);
    stubSsm(wm, base + "arm64/nvidia/recommended/image_id", AwsFixtures.AMI_ARM_NVIDIA);
    stubSsm(wm, base + "x86_64/neuron/recommended/image_id", AwsFixtures.AMI_X86_NEURON);
    String br = "/aws/service/bottlerocket/aws-k8s-" + AwsFixtures.K8S;
    stubSsm(wm, br + "/x86_64/latest/image_id", AwsFixtures.BR_X86);
    stubSsm(wm, br + "/arm64/latest/image_id", AwsFixtures.BR_ARM);
    stubSsm(wm, br + "-nvidia/x86_64/latest/image_id", AwsFixtures.BR_X86_NVIDIA);
    stubSsm(wm, br + "-nvidia/arm64/latest/image_id", AwsFixtures.BR_ARM_NVIDIA);
    wm.stubFor(
        post(urlPathEqualTo("/"))
            .withRequestBody(containing("Action=GetInstanceProfile"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(resource("iam-get-instance-profile.xml"))));
    // IAM ListInstanceProfiles: no profiles under the NodeClass's path unless a test adds some.
    wm.stubFor(
        post(urlPathEqualTo("/"))
            .withRequestBody(containing("Action=ListInstanceProfiles"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        "<ListInstanceProfilesResponse"
                            + " xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                            + "<ListInstanceProfilesResult><IsTruncated>false</IsTruncated>"
                            + "<InstanceProfiles/></ListInstanceProfilesResult><ResponseMetadata>"
                            + "<RequestId>5a2c7e1b-0000-4000-8000-000000000001</RequestId>"
                            + "</ResponseMetadata></ListInstanceProfilesResponse>")));
    wm.stubFor(
        json("AWSPriceListService.GetProducts")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/x-amz-json-1.1")
                    .withBody(resource("pricing-get-products.json"))));
  }

  protected static String spotPrices() {
    List<SpotPrice> prices = new ArrayList<>();
    Object[][] table = {
      {"t3.medium", 0.0125}, {"m5.large", 0.0360}, {"m5.xlarge", 0.0730}, {"c6i.large", 0.0320},
      {"c6g.large", 0.0290}, {"m7g.large", 0.0310}, {"m7g.xlarge", 0.0620}, {"g5.xlarge", 0.4200},
      {"g5g.xlarge", 0.1800}, {"inf2.xlarge", 0.3000}
    };
    for (Object[] row : table) {
      for (int z = 0; z < AwsFixtures.ZONES.size(); z++) {
        prices.add(
            SpotPrice.builder()
                .instanceType((String) row[0])
                .availabilityZone(AwsFixtures.ZONES.get(z))
                .productDescription("Linux/UNIX")
                .spotPrice(String.format("%.6f", (Double) row[1] * (1 + z * 0.05)))
                .timestamp(Instant.parse("2025-11-20T11:00:00Z"))
                .build());
      }
    }
    return Ec2Xml.response(
        "DescribeSpotPriceHistory",
        DescribeSpotPriceHistoryResponse.builder().spotPriceHistory(prices).nextToken("").build());
  }

  protected static String resource(String name) {
    try (var in = AwsWireMockTestBase.class.getResourceAsStream("/aws/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException | NullPointerException e) {
      throw new IllegalStateException("missing test resource " + name, e);
    }
  }

  @SafeVarargs
  protected static <T> T[] concat(T[] a, T... b) {
    T[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  // ------------------------------------------------------------------ fleets

  public static CreateFleetInstance fleetInstance(
      String id, String type, String zone, String subnet, String lifecycle) {
    return CreateFleetInstance.builder()
        .instanceIds(id)
        .instanceType(type)
        .lifecycle(lifecycle)
        .launchTemplateAndOverrides(
            l -> l.overrides(o -> o.instanceType(type).subnetId(subnet).availabilityZone(zone)))
        .build();
  }

  protected static CreateFleetError fleetError(
      String code, String type, String zone, String subnet, String lifecycle) {
    return CreateFleetError.builder()
        .errorCode(code)
        .errorMessage(
            "We currently do not have sufficient "
                + type
                + " capacity in the Availability Zone you requested ("
                + zone
                + ").")
        .lifecycle(lifecycle)
        .launchTemplateAndOverrides(
            l -> l.overrides(o -> o.instanceType(type).subnetId(subnet).availabilityZone(zone)))
        .build();
  }

  public static String createFleet(
      List<CreateFleetInstance> instances, List<CreateFleetError> errors) {
    return Ec2Xml.response(
        "CreateFleet",
        CreateFleetResponse.builder()
            .fleetId("fleet-3f4b1c2d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
            .instances(instances)
            .errors(errors)
            .build());
  }

  public static Instance ec2Instance(
      String id,
      String type,
      String zone,
      String ami,
      String nodeClaim,
      String state,
      String lifecycle) {
    List<Tag> tags = new ArrayList<>();
    tags.add(Tag.builder().key("kubernetes.io/cluster/demo").value("owned").build());
    tags.add(Tag.builder().key("karpenter.sh/nodepool").value("default").build());
    tags.add(Tag.builder().key("karpenter.k8s.aws/ec2nodeclass").value("default").build());
    if (nodeClaim != null) {
      tags.add(Tag.builder().key("karpenter.sh/nodeclaim").value(nodeClaim).build());
    }
    Instance.Builder b =
        Instance.builder()
            .instanceId(id)
            .instanceType(type)
            .imageId(ami)
            .architecture(type.contains("g.") || type.startsWith("c6g") ? "arm64" : "x86_64")
            .placement(p -> p.availabilityZone(zone).tenancy("default"))
            .state(s -> s.name(state).code("running".equals(state) ? 16 : 0))
            .subnetId(
                "us-west-2a".equals(zone) ? "subnet-0aa11111111111111" : "subnet-0bb22222222222222")
            .privateDnsName("ip-10-0-1-23.us-west-2.compute.internal")
            .launchTime(Instant.parse("2025-11-20T11:58:00Z"))
            .securityGroups(g -> g.groupId("sg-0123456789abcdef0").groupName("eks-cluster-sg-demo"))
            .tags(tags);
    if ("spot".equals(lifecycle)) {
      b.instanceLifecycle("spot");
    }
    return b.build();
  }

  public static String describeInstances(Instance... instances) {
    return Ec2Xml.response(
        "DescribeInstances",
        DescribeInstancesResponse.builder()
            .reservations(
                Reservation.builder()
                    .reservationId("r-0123456789abcdef0")
                    .ownerId("123456789012")
                    .instances(instances)
                    .build())
            .build());
  }

  // ------------------------------------------------------------------ model

  public static EC2NodeClass nodeClass(String yaml) {
    EC2NodeClass nc = Serialization.unmarshal(yaml, EC2NodeClass.class);
    if (nc.getMetadata().getGeneration() == null) {
      nc.getMetadata().setGeneration(1L);
    }
    return nc;
  }

  public static EC2NodeClass al2023NodeClass() {
    return nodeClass(
        """
        apiVersion: karpenter.k8s.aws/v1
        kind: EC2NodeClass
        metadata:
          name: default
        spec:
          role: KarpenterNodeRole-demo
          amiSelectorTerms:
            - alias: al2023@latest
          subnetSelectorTerms:
            - tags:
                karpenter.sh/discovery: demo
          securityGroupSelectorTerms:
            - tags:
                karpenter.sh/discovery: demo
        """);
  }

  protected static NodeClaimView claim(String name, EC2NodeClass nc, Requirement... reqs) {
    List<Requirement> all = new ArrayList<>(List.of(reqs));
    all.add(Requirement.in(WellKnownLabels.NODE_POOL, "default"));
    return NodeClaims.pending(
        name,
        Requirements.of(all),
        Resources.EMPTY,
        new NodeClassRef("karpenter.k8s.aws", "EC2NodeClass", nc.getMetadata().getName()),
        nc);
  }

  /** The JSON-protocol requests (SSM, SQS, Pricing) WireMock received for a target. */
  protected List<LoggedRequest> jsonRequests(String target) {
    return wm.findAll(
        postRequestedFor(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(target)));
  }

  /** The form parameters of the EC2 requests WireMock received for an action. */
  protected List<Map<String, String>> ec2Requests(String action) {
    List<Map<String, String>> out = new ArrayList<>();
    for (LoggedRequest r :
        wm.findAll(
            postRequestedFor(urlPathEqualTo("/"))
                .withRequestBody(containing("Action=" + action + "&")))) {
      out.add(form(r.getBodyAsString()));
    }
    return out;
  }

  public static Map<String, String> form(String body) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (String kv : body.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        m.put(
            URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return m;
  }

  /** The values of {@code prefix.N.suffix} form parameters. */
  protected static List<String> values(Map<String, String> form, String prefix, String suffix) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> e : form.entrySet()) {
      String k = e.getKey();
      if (k.startsWith(prefix)
          && k.endsWith(suffix)
          && k.substring(prefix.length(), k.length() - suffix.length()).matches("\\.\\d+\\.?")) {
        out.add(e.getValue());
      }
    }
    return out;
  }
}
