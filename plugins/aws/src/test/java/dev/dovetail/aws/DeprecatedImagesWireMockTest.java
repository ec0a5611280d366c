package dev.dovetail.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.aws.apis.v1.EC2NodeClassStatus;
import dev.dovetail.aws.nodeclass.NodeClassHash;
import dev.dovetail.cloudprovider.NodeClaimView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Deprecated images as upstream (issue 18 point 9): DescribeImages asks for them ({@code
 * IncludeDeprecated=true}), a non-deprecated image is preferred over a newer deprecated one of the
 * same requirements, a deprecated image that is the only match is still used (status {@code
 * deprecated: true}, AMIsReady) and a node running it does not drift until a non-deprecated image
 * replaces it; a {@code latest} SSM parameter pointing at a deprecated image is read again at the
 * next resolution. Deprecation is judged on the provider's clock (test clock 2025-11-20T12:00Z).
 */
class DeprecatedImagesWireMockTest extends AwsWireMockTestBase {
  private static final String OLD = "ami-0cafe000000000001";
  private static final String NEW = "ami-0cafe000000000002";

  private static EC2NodeClass taggedAmis() {
    return nodeClass(
        """
        apiVersion: karpenter.k8s.aws/v1
        kind: EC2NodeClass
        metadata:
          name: golden
        spec:
          role: KarpenterNodeRole-demo
          amiFamily: AL2023
          amiSelectorTerms:
            - tags:
                team: golden
          subnetSelectorTerms:
            - tags:
                karpenter.sh/discovery: demo
          securityGroupSelectorTerms:
            - tags:
                karpenter.sh/discovery: demo
        """);
  }

  private static Image image(String id, String created, String deprecationTime) {
    Image i = AwsFixtures.image(id, "golden-" + id, "x86_64", created);
    return deprecationTime == null ? i : i.toBuilder().deprecationTime(deprecationTime).build();
  }

  /** EC2's behaviour: owner/filter queries list deprecated images only with IncludeDeprecated. */
  private void images(Image... images) {
    List<Image> current = new ArrayList<>();
    for (Image i : images) {
      if (i.deprecationTime() == null
          || java.time.Instant.parse(i.deprecationTime()).isAfter(clock.instant())) {
        current.add(i);
      }
    }
    stubEc2("DescribeImages", AwsFixtures.describeImages(current.toArray(Image[]::new)));
    wm.stubFor(
        ec2("DescribeImages")
            .withRequestBody(containing("IncludeDeprecated=true"))
            .willReturn(aResponse().withStatus(200).withBody(AwsFixtures.describeImages(images))));
  }

  private static List<String> ids(EC2NodeClassStatus status) {
    return status.amis.stream().map(a -> a.id).toList();
  }

  @Test
  void everyDescribeImagesAsksForDeprecatedImagesToo() {
    provider.core().resolver().resolve(taggedAmis());
    provider.core().resolver().resolve(al2023NodeClass());

    List<Map<String, String>> describes = ec2Requests("DescribeImages");
    assertThat(describes).hasSizeGreaterThanOrEqualTo(2);
    for (Map<String, String> form : describes) {
      assertThat(form).containsEntry("IncludeDeprecated", "true");
    }
    // The selector query itself, field by field (DescribeImagesRequest: Filter.N, Owner.N).
    Map<String, String> tagged =
        describes.stream().filter(f -> f.containsValue("tag:team")).findFirst().orElseThrow();
    assertThat(values(tagged, "Filter", "Name")).containsExactlyInAnyOrder("tag:team", "state");
    assertThat(tagged).doesNotContainKey("ImageId.1");
  }

  @Test
  void aNonDeprecatedImageIsPreferredOverANewerDeprecatedOne() {
    images(
        image(OLD, "2025-10-01T00:00:00.000Z", null),
        image(NEW, "2025-11-10T00:00:00.000Z", "2025-11-15T00:00:00.000Z"));

    EC2NodeClassStatus status = provider.core().resolver().resolve(taggedAmis());

    assertThat(ids(status)).containsExactly(OLD);
    assertThat(status.amis.get(0).deprecated).isNull();
  }

  @Test
  void deprecationIsJudgedOnTheProvidersClock() {
    // Deprecated from 2026-06-01: after the test clock's now, so not deprecated yet.
    images(
        image(OLD, "2025-10-01T00:00:00.000Z", null),
        image(NEW, "2025-11-10T00:00:00.000Z", "2026-06-01T00:00:00.000Z"));

    EC2NodeClassStatus status = provider.core().resolver().resolve(taggedAmis());

    assertThat(ids(status)).containsExactly(NEW);
    assertThat(status.amis.get(0).deprecated).isNull();
  }

  @Test
  void aDeprecatedImageThatIsTheOnlyMatchIsStillUsed() {
    images(image(OLD, "2025-10-01T00:00:00.000Z", "2025-11-01T00:00:00.000Z"));

    EC2NodeClassStatus status = provider.core().resolver().resolve(taggedAmis());

    assertThat(ids(status)).containsExactly(OLD);
    assertThat(status.amis.get(0).deprecated).isTrue();
    assertThat(status.condition("AMIsReady").getStatus()).isEqualTo("True");
    assertThat(status.ready()).isTrue();
  }

  @Test
  void aNodeDriftsOnlyOnceANonDeprecatedImageReplacesItsDeprecatedOne() {
    EC2NodeClass nc = taggedAmis();
    images(image(OLD, "2025-10-01T00:00:00.000Z", "2025-11-20T12:30:00.000Z"));
    Instance running =
        ec2Instance("i-0d1e2f3a4b5c6d7e8", "m5.large", "us-west-2a", OLD, "c-1", "running", null);
    List<Tag> tags = new ArrayList<>(running.tags());
    tags.add(Tag.builder().key(NodeClassHash.ANNOTATION).value(NodeClassHash.of(nc)).build());
    stubEc2("DescribeInstances", describeInstances(running.toBuilder().tags(tags).build()));
    NodeClaimView c = claim("c-1", nc);
    NodeClaimView launched =
        new NodeClaimView(
            c.name(),
            c.nodePool(),
            c.labels(),
            Map.of(),
            c.taints(),
            c.startupTaints(),
            c.requirements(),
            c.requests(),
            c.nodeClassRef(),
            nc,
            "aws:///us-west-2a/i-0d1e2f3a4b5c6d7e8",
            null);
    assertThat(provider.isDrifted(launched)).isEmpty();

    // Its image is deprecated now, but still the only match: no drift (upstream has none either).
    clock.advance(Duration.ofMinutes(31));
    images(image(OLD, "2025-10-01T00:00:00.000Z", "2025-11-20T12:30:00.000Z"));
    assertThat(provider.isDrifted(launched)).isEmpty();
    assertThat(provider.core().resolver().resolve(nc).amis.get(0).deprecated).isTrue();

    // A non-deprecated image (even an older one) takes its place: AMIDrift.
    clock.advance(Duration.ofMinutes(2));
    images(
        image(OLD, "2025-10-01T00:00:00.000Z", "2025-11-20T12:30:00.000Z"),
        image(NEW, "2025-09-01T00:00:00.000Z", null));
    assertThat(provider.isDrifted(launched)).contains("AMIDrift");
  }

  @Test
  void aLatestAliasPointingAtADeprecatedImageIsReadAgainFromSsm() {
    EC2NodeClass nc = al2023NodeClass();
    assertThat(ids(provider.core().resolver().resolve(nc))).contains(AwsFixtures.AMI_X86);

    // The release is pulled: its image deprecated, the parameter moved to a new image.
    String path =
        "/aws/service/eks/optimized-ami/"
            + AwsFixtures.K8S
            + "/amazon-linux-2023/x86_64/standard/recommended/image_id";
    stubSsm(path, NEW);
    List<Image> all = new ArrayList<>(List.of(AwsFixtures.al2023Images()));
    all.set(0, all.get(0).toBuilder().deprecationTime("2025-11-20T12:10:00.000Z").build());
    all.add(
        AwsFixtures.image(
            NEW,
            "amazon-eks-node-al2023-x86_64-standard-1.33-v20251120",
            "x86_64",
            "2025-11-20T12:05:00.000Z"));
    stubEc2("DescribeImages", AwsFixtures.describeImages(all.toArray(Image[]::new)));

    // Next resolution: the cached parameter still names the deprecated image, which serves
    // (only match) and is marked; the parameter is dropped from the SSM cache ...
    clock.advance(Duration.ofMinutes(15));
    EC2NodeClassStatus stale = provider.core().resolver().resolve(nc);
    assertThat(ids(stale)).contains(AwsFixtures.AMI_X86).doesNotContain(NEW);
    assertThat(
            stale.amis.stream()
                .filter(a -> a.id.equals(AwsFixtures.AMI_X86))
                .findFirst()
                .get()
                .deprecated)
        .isTrue();

    // ... so the one after reads it again and moves to the new image (not after a day).
    clock.advance(Duration.ofMinutes(2));
    EC2NodeClassStatus fresh = provider.core().resolver().resolve(nc);
    assertThat(ids(fresh)).contains(NEW).doesNotContain(AwsFixtures.AMI_X86);
  }
}
