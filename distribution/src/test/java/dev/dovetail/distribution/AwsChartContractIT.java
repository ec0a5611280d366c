package dev.dovetail.distribution;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.dovetail.distribution.ChartContractIT.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.dovetail.apiserver.KubeApiServer;
import dev.dovetail.aws.AwsFixtures;
import dev.dovetail.aws.AwsWireMockTestBase;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart-to-process contract for {@code provider: aws}: the chart rendered with the real Helm
 * engine, {@code bin/dovetail} started with exactly the rendered command, arguments and environment
 * plus only what points the AWS SDK at WireMock ({@code DOVETAIL_PROVIDER_ENDPOINT} and the
 * credentials IRSA would give the pod), the AWS plugin loaded from the distribution's zip, against
 * the embedded API server ({@link KubeApiServer}) through a kubeconfig. WireMock answers as a
 * healthy account with the AWS plugin's own fixtures ({@link AwsWireMockTestBase#installDefaults}).
 *
 * <p>Each rendered setting must show its effect on the wire or on the API server: the SQS queue
 * named by {@code settings.interruptionQueue} is polled, {@code settings.clusterEndpoint} is the
 * endpoint in the launched node's user data (over what eks:DescribeCluster would say), {@code
 * settings.minValuesPolicy=BestEffort} launches a NodeClaim whose minValues cannot be met (relaxed
 * and annotated), {@code settings.preferencePolicy=Ignore} orders its instance types by price
 * alone, plus the ports, leader election, log format and level, batch windows and feature gates.
 */
class AwsChartContractIT {
  private static final String QUEUE_URL = "/123456789012/contract-queue";
  private static final String ENDPOINT = "https://contract.example:443";
  private static final String DISCOVERED = "https://DISCOVERED0123.gr7.us-west-2.eks.amazonaws.com";
  private static final String CA =
      "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkNPTlRSQUNUCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K";

  /** The fixture catalog's Graviton (arm64) types. */
  private static final Set<String> ARM64 =
      Set.of("c6g.large", "m7g.large", "m7g.xlarge", "g5g.xlarge");

  private static final ResourceDefinitionContext NODE_CLAIMS =
      new ResourceDefinitionContext.Builder()
          .withGroup("karpenter.sh")
          .withVersion("v1")
          .withKind("NodeClaim")
          .withPlural("nodeclaims")
          .withNamespaced(false)
          .build();

  @TempDir Path tmp;
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void theRenderedAwsDeploymentRunsAgainstWireMockWithEverySettingInEffect() throws Exception {
    Path dist = Path.of(System.getProperty("dovetail.dist", "target/dovetail")).toAbsolutePath();
    int metricsPort = ChartContractIT.freePort();
    int healthPort = ChartContractIT.freePort();
    Map<String, Object> values = ChartContractIT.contractValues("aws", metricsPort, healthPort);
    values.put("settings.aws.region", AwsFixtures.REGION); // the fixtures' region
    values.put("settings.aws.clusterCABundle", CA);
    Container c = ChartContractIT.controller(ChartContractIT.render("aws", values));

    WireMockServer wm = new WireMockServer(wireMockConfig().dynamicPort());
    wm.start();
    try (KubeApiServer api = KubeApiServer.start();
        KubernetesClient client = api.client()) {
      String aws = "http://localhost:" + wm.port();
      stubAccount(wm, aws);
      installChartCrds(client);
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();
      applyWorkload(client);

      Path kubeconfig = tmp.resolve("kubeconfig");
      Files.writeString(kubeconfig, ChartContractIT.kubeconfig(api.url()));
      // what the cluster gives a pod (an API server through a kubeconfig), and what points the
      // AWS SDK at WireMock: the plugin's endpoint override and the credentials IRSA would
      // provide (the SDK's default chain reads them)
      try (RenderedController process =
          RenderedController.start(
              dist,
              c,
              tmp,
              k ->
                  ChartContractIT.READERS.containsKey(k)
                      || k.startsWith("DOVETAIL_")
                      || k.startsWith("AWS_"),
              Map.of(
                  "KUBECONFIG",
                  kubeconfig.toString(),
                  "DOVETAIL_PROVIDER_ENDPOINT",
                  aws,
                  "AWS_ACCESS_KEY_ID",
                  "AKIAIOSFODNN7EXAMPLE",
                  "AWS_SECRET_ACCESS_KEY",
                  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))) {
        // ports (METRICS_PORT, HEALTH_PROBE_PORT) and leader election in the release namespace
        process.awaitServing(client, healthPort, metricsPort);

        process.assertContractSettings(metricsPort, healthPort, "region=" + AwsFixtures.REGION);

        // INTERRUPTION_QUEUE: the queue named by the chart is looked up and polled
        process.await(
            () -> !requests(wm, "AmazonSQS.ReceiveMessage").isEmpty(), "SQS ReceiveMessage");
        assertThat(requests(wm, "AmazonSQS.GetQueueUrl"))
            .anyMatch(r -> r.getBodyAsString().contains("\"QueueName\":\"contract-queue\""));
        assertThat(requests(wm, "AmazonSQS.ReceiveMessage"))
            .allMatch(r -> r.getBodyAsString().contains(QUEUE_URL));

        // A pending pod: a NodeClaim is planned and launched
        process.await(() -> !nodeClaims(client).isEmpty(), "a NodeClaim");
        process.await(() -> !ec2(wm, "CreateFleet").isEmpty(), "CreateFleet");
        GenericKubernetesResource claim = nodeClaims(client).get(0);
        // MIN_VALUES_POLICY=BestEffort: minValues 50 cannot be met by the fixture's types; the
        // claim launches anyway with minValues lowered, annotated as upstream does
        assertThat(claim.getMetadata().getAnnotations())
            .containsEntry("karpenter.sh/nodeclaim-min-values-relaxed", "true");
        JsonNode typeReq = requirement(claim, "node.kubernetes.io/instance-type");
        assertThat(typeReq.path("minValues").asInt()).isLessThan(50).isPositive();
        // PREFERENCE_POLICY=Ignore: the pod's preference for arm64 does not order the options
        assertThat(typeReq.path("values").get(0).asText()).isNotIn(ARM64);

        // CLUSTER_ENDPOINT: the chart's endpoint is in the node's user data, not the discovered
        List<String> userData = new ArrayList<>();
        for (LoggedRequest r : ec2(wm, "CreateLaunchTemplate")) {
          String encoded =
              AwsWireMockTestBase.form(r.getBodyAsString()).get("LaunchTemplateData.UserData");
          userData.add(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8));
        }
        assertThat(userData).isNotEmpty();
        assertThat(userData)
            .allMatch(u -> u.contains(ENDPOINT), "contains " + ENDPOINT)
            .noneMatch(u -> u.contains(DISCOVERED));
        assertThat(userData).allMatch(u -> u.contains(CA), "contains the chart's CA bundle");

        // LOG_FORMAT=json, LOG_LEVEL=debug
        List<String> lines = process.logLines();
        for (String line : lines) {
          if (!line.startsWith("Picked up JAVA_TOOL_OPTIONS")) {
            assertThat(json.readTree(line).isObject()).as("log line %s", line).isTrue();
          }
        }
        assertThat(lines).anyMatch(l -> l.contains("\"level\":\"DEBUG\""));
      }
    } finally {
      wm.stop();
    }
  }

  // ------------------------------------------------------------------ the account

  /** A healthy account (the AWS plugin's fixtures), the cluster, the queue and a fleet. */
  private static void stubAccount(WireMockServer wm, String aws) {
    AwsWireMockTestBase.installDefaults(wm);
    // AMI aliases for the API server's Kubernetes version (the fixtures stub 1.33's)
    String base = "/aws/service/eks/optimized-ami/1.32/amazon-linux-2023/";
    AwsWireMockTestBase.stubSsm(
        wm, base + "x86_64/standard/recommended/image_id", AwsFixtures.AMI_X86);
    AwsWireMockTestBase.stubSsm(
        wm, base + "arm64/standard/recommended/image_id", AwsFixtures.AMI_ARM);
    AwsWireMockTestBase.stubSsm(
        wm, base + "x86_64/nvidia/recommended/image_id", AwsFixtures.AMI_X86_NVIDIA);
    AwsWireMockTestBase.stubSsm(
        wm, base + "arm64/nvidia/recommended/image_id", AwsFixtures.AMI_ARM_NVIDIA);
    AwsWireMockTestBase.stubSsm(
        wm, base + "x86_64/neuron/recommended/image_id", AwsFixtures.AMI_X86_NEURON);
    // eks:DescribeCluster knows another endpoint: the chart's setting must win
    wm.stubFor(
        get(urlPathEqualTo("/clusters/contract"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
                        {"cluster":{"name":"contract",
                          "arn":"arn:aws:eks:us-west-2:123456789012:cluster/contract",
                          "version":"1.32","endpoint":"%s",
                          "kubernetesNetworkConfig":{"serviceIpv4Cidr":"172.20.0.0/16","ipFamily":"ipv4"},
                          "certificateAuthority":{"data":"RElTQ09WRVJFRA=="},"status":"ACTIVE"}}
                        """
                            .formatted(DISCOVERED))));
    wm.stubFor(
        AwsWireMockTestBase.json("AmazonSQS.GetQueueUrl")
            .withRequestBody(matchingJsonPath("$.QueueName", equalTo("contract-queue")))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/x-amz-json-1.0")
                    .withBody("{\"QueueUrl\":\"" + aws + QUEUE_URL + "\"}")));
    wm.stubFor(
        AwsWireMockTestBase.json("AmazonSQS.ReceiveMessage")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/x-amz-json-1.0")
                    .withBody("{\"Messages\":[]}")
                    .withFixedDelay(500))); // a short long-poll
    AwsWireMockTestBase.stubEc2(
        wm,
        "CreateFleet",
        AwsWireMockTestBase.createFleet(
            List.of(
                AwsWireMockTestBase.fleetInstance(
                    "i-0c0ff1ce000000001",
                    "t3.medium",
                    "us-west-2a",
                    "subnet-0aa11111111111111",
                    "spot")),
            List.of()));
  }

  private static List<LoggedRequest> requests(WireMockServer wm, String target) {
    return wm.findAll(
        postRequestedFor(urlPathEqualTo("/")).withHeader("X-Amz-Target", equalTo(target)));
  }

  private static List<LoggedRequest> ec2(WireMockServer wm, String action) {
    return wm.findAll(
        postRequestedFor(urlPathEqualTo("/"))
            .withRequestBody(containing("Action=" + action + "&")));
  }

  // ------------------------------------------------------------------ the cluster

  /** The chart's CRDs, as {@code helm install} applies them. */
  private static void installChartCrds(KubernetesClient client) throws IOException {
    Path crds =
        Path.of(System.getProperty("dovetail.chart.dir", "../charts/dovetail")).resolve("crds");
    try (Stream<Path> files = Files.list(crds)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        CustomResourceDefinition crd =
            client
                .getKubernetesSerialization()
                .unmarshal(Files.readString(f), CustomResourceDefinition.class);
        if (client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(crd.getMetadata().getName())
                .get()
            == null) {
          client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
      }
    }
  }

  /**
   * An EC2NodeClass, a NodePool whose minValues the fixture catalog cannot meet, and a pending pod
   * that prefers arm64.
   */
  private static void applyWorkload(KubernetesClient client) {
    // the AWS plugin's own fixture, which its stubbed account resolves
    client.resource(AwsWireMockTestBase.al2023NodeClass()).create();
    client
        .load(
            new java.io.ByteArrayInputStream(
                """
                apiVersion: karpenter.sh/v1
                kind: NodePool
                metadata:
                  name: default
                spec:
                  template:
                    spec:
                      nodeClassRef:
                        group: karpenter.k8s.aws
                        kind: EC2NodeClass
                        name: default
                      requirements:
                        - key: node.kubernetes.io/instance-type
                          operator: Exists
                          minValues: 50
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                  namespace: default
                spec:
                  affinity:
                    nodeAffinity:
                      preferredDuringSchedulingIgnoredDuringExecution:
                        - weight: 100
                          preference:
                            matchExpressions:
                              - key: kubernetes.io/arch
                                operator: In
                                values: [arm64]
                  containers:
                    - name: web
                      image: nginx
                      resources:
                        requests:
                          cpu: 500m
                          memory: 512Mi
                """
                    .getBytes(StandardCharsets.UTF_8)))
        .create();
    // what kube-scheduler writes when no node fits: the pod is provisionable
    client
        .pods()
        .inNamespace("default")
        .withName("web")
        .editStatus(
            p -> {
              if (p.getStatus() == null) {
                p.setStatus(new io.fabric8.kubernetes.api.model.PodStatus());
              }
              p.getStatus()
                  .getConditions()
                  .add(
                      new PodConditionBuilder()
                          .withType("PodScheduled")
                          .withStatus("False")
                          .withReason("Unschedulable")
                          .withMessage("0/0 nodes are available")
                          .withLastTransitionTime(Instant.now().toString())
                          .build());
              p.getStatus().setPhase("Pending");
              return p;
            });
  }

  private static List<GenericKubernetesResource> nodeClaims(KubernetesClient client) {
    return client.genericKubernetesResources(NODE_CLAIMS).list().getItems();
  }

  private JsonNode requirement(GenericKubernetesResource claim, String key) {
    JsonNode spec = json.valueToTree(claim.getAdditionalProperties().get("spec"));
    for (JsonNode r : spec.path("requirements")) {
      if (key.equals(r.path("key").asText())) {
        return r;
      }
    }
    throw new AssertionError("NodeClaim has no requirement on " + key + ": " + spec);
  }
}
