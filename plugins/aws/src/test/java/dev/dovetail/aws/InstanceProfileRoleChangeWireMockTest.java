package dev.dovetail.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.aws.apis.v1.EC2NodeClass;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A role change on an EC2NodeClass as upstream (issue 18 point 9): a new instance profile named
 * from the role's hash, created under {@code /karpenter/<region>/<cluster>/<uid>/}; the running
 * nodes' profile keeps its role, and is deleted once no instance holds it. IAM Query form names
 * from the IAM API reference (CreateInstanceProfile: InstanceProfileName, Path, Tags.member.N;
 * ListInstanceProfiles: PathPrefix), EC2 DescribeInstances filters {@code iam-instance-profile.arn}
 * and {@code instance-state-name}.
 */
class InstanceProfileRoleChangeWireMockTest extends AwsWireMockTestBase {
  private static final String UID = "7c0e4f0a-52b4-4c3e-9a57-3f1d2b6e8a10";
  private static final String PATH = "/karpenter/us-west-2/demo/" + UID + "/";
  private static final String NS = "https://iam.amazonaws.com/doc/2010-05-08/";

  private static EC2NodeClass withRole(String role) {
    EC2NodeClass nc = al2023NodeClass();
    nc.getMetadata().setUid(UID);
    nc.getSpec().role = role;
    return nc;
  }

  private static String profileXml(String name, String role) {
    return "<InstanceProfileId>AIPA"
        + Integer.toHexString(name.hashCode()).toUpperCase()
        + "EXAMPLE</InstanceProfileId><Roles>"
        + (role == null
            ? ""
            : "<member><Path>/</Path><RoleId>AROAJ52OTH4H7LEXAMPLE</RoleId><RoleName>"
                + role
                + "</RoleName><Arn>arn:aws:iam::123456789012:role/"
                + role
                + "</Arn><CreateDate>2025-01-10T11:22:33Z</CreateDate></member>")
        + "</Roles><InstanceProfileName>"
        + name
        + "</InstanceProfileName><Path>"
        + PATH
        + "</Path><Arn>"
        + arn(name)
        + "</Arn><CreateDate>2025-11-20T12:00:00Z</CreateDate>";
  }

  private static String arn(String name) {
    return "arn:aws:iam::123456789012:instance-profile" + PATH + name;
  }

  private void iam(String action, String bodyContains, int status, String xml) {
    wm.stubFor(
        post(urlPathEqualTo("/"))
            .withRequestBody(containing("Action=" + action))
            .withRequestBody(containing(bodyContains))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(xml)));
  }

  private void iamOk(String action) {
    iam(
        action,
        "",
        200,
        "<"
            + action
            + "Response xmlns=\""
            + NS
            + "\"><ResponseMetadata><RequestId>"
            + "4a0f6b2e-0000-4000-8000-00000000000a</RequestId></ResponseMetadata></"
            + action
            + "Response>");
  }

  /** GetInstanceProfile answers with the profile (and its role) from now on. */
  private void exists(String name, String role) {
    iam(
        "GetInstanceProfile",
        "InstanceProfileName="
            + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8),
        200,
        "<GetInstanceProfileResponse xmlns=\""
            + NS
            + "\"><GetInstanceProfileResult><InstanceProfile>"
            + profileXml(name, role)
            + "</InstanceProfile></GetInstanceProfileResult><ResponseMetadata><RequestId>"
            + "4a0f6b2e-0000-4000-8000-00000000000b</RequestId></ResponseMetadata>"
            + "</GetInstanceProfileResponse>");
  }

  private void listed(String... nameRolePairs) {
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < nameRolePairs.length; i += 2) {
      members
          .append("<member>")
          .append(profileXml(nameRolePairs[i], nameRolePairs[i + 1]))
          .append("</member>");
    }
    iam(
        "ListInstanceProfiles",
        "",
        200,
        "<ListInstanceProfilesResponse xmlns=\""
            + NS
            + "\"><ListInstanceProfilesResult>"
            + "<IsTruncated>false</IsTruncated><InstanceProfiles>"
            + members
            + "</InstanceProfiles></ListInstanceProfilesResult><ResponseMetadata><RequestId>"
            + "4a0f6b2e-0000-4000-8000-00000000000c</RequestId></ResponseMetadata>"
            + "</ListInstanceProfilesResponse>");
  }

  private List<Map<String, String>> iamRequests(String action) {
    return wm
        .findAll(
            postRequestedFor(urlPathEqualTo("/"))
                .withRequestBody(containing("Action=" + action + "&")))
        .stream()
        .map(r -> form(r.getBodyAsString()))
        .toList();
  }

  @BeforeEach
  void noProfilesYet() {
    iam(
        "GetInstanceProfile",
        "",
        404,
        "<ErrorResponse xmlns=\""
            + NS
            + "\"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>"
            + "<Message>Instance Profile cannot be found.</Message></Error><RequestId>"
            + "4a0f6b2e-0000-4000-8000-000000000001</RequestId></ErrorResponse>");
    wm.stubFor(
        post(urlPathEqualTo("/"))
            .withRequestBody(containing("Action=CreateInstanceProfile"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        "<CreateInstanceProfileResponse xmlns=\""
                            + NS
                            + "\"><CreateInstanceProfileResult>"
                            + "<InstanceProfile>"
                            + profileXml("created", null)
                            + "</InstanceProfile></CreateInstanceProfileResult><ResponseMetadata>"
                            + "<RequestId>4a0f6b2e-0000-4000-8000-000000000002</RequestId>"
                            + "</ResponseMetadata></CreateInstanceProfileResponse>")));
    iamOk("AddRoleToInstanceProfile");
    iamOk("RemoveRoleFromInstanceProfile");
    iamOk("DeleteInstanceProfile");
  }

  @Test
  void aRoleChangeCreatesANewProfileAndDeletesTheOldOneOnceUnused() {
    String first =
        provider.core().resolver().resolve(withRole("KarpenterNodeRole-demo")).instanceProfile;
    exists(first, "KarpenterNodeRole-demo");
    assertThat(first).matches("demo_\\d+");

    // The role changes while a node still runs with the first profile.
    stubEc2("DescribeInstances", describeInstances());
    wm.stubFor(
        ec2("DescribeInstances")
            .withRequestBody(containing("iam-instance-profile.arn"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withBody(
                        describeInstances(
                            ec2Instance(
                                "i-0aaaa000000000001",
                                "m5.large",
                                "us-west-2a",
                                AwsFixtures.AMI_X86,
                                "c-1",
                                "running",
                                "on-demand")))));
    String second =
        provider.core().resolver().resolve(withRole("KarpenterNodeRole-demo-v2")).instanceProfile;
    exists(second, "KarpenterNodeRole-demo-v2");
    listed(first, "KarpenterNodeRole-demo", second, "KarpenterNodeRole-demo-v2");

    assertThat(second).matches("demo_\\d+").isNotEqualTo(first);
    List<Map<String, String>> creates = iamRequests("CreateInstanceProfile");
    assertThat(creates)
        .extracting(f -> f.get("InstanceProfileName"))
        .containsExactly(first, second);
    for (Map<String, String> create : creates) {
      assertThat(create).containsEntry("Version", "2010-05-08").containsEntry("Path", PATH);
      Map<String, String> tags = new HashMap<>();
      for (int n = 1; create.containsKey("Tags.member." + n + ".Key"); n++) {
        tags.put(
            create.get("Tags.member." + n + ".Key"), create.get("Tags.member." + n + ".Value"));
      }
      assertThat(tags)
          .containsEntry("kubernetes.io/cluster/demo", "owned")
          .containsEntry("eks:eks-cluster-name", "demo")
          .containsEntry("karpenter.k8s.aws/ec2nodeclass", "default")
          .containsEntry("topology.kubernetes.io/region", "us-west-2");
    }
    assertThat(iamRequests("AddRoleToInstanceProfile"))
        .extracting(f -> f.get("InstanceProfileName") + "=" + f.get("RoleName"))
        .containsExactly(first + "=KarpenterNodeRole-demo", second + "=KarpenterNodeRole-demo-v2");
    // The running node's profile keeps its role: never swapped underneath it.
    assertThat(iamRequests("RemoveRoleFromInstanceProfile")).isEmpty();

    // Looked for the NodeClass's profiles, found the first one still held by an instance.
    clock.advance(Duration.ofMinutes(6));
    provider.core().resolver().resolve(withRole("KarpenterNodeRole-demo-v2"));
    assertThat(iamRequests("ListInstanceProfiles"))
        .isNotEmpty()
        .allSatisfy(f -> assertThat(f).containsEntry("PathPrefix", PATH));
    Map<String, String> inUse =
        ec2Requests("DescribeInstances").stream()
            .filter(f -> f.containsValue("iam-instance-profile.arn"))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(inUse)
        .containsEntry("Filter.1.Name", "iam-instance-profile.arn")
        .containsEntry("Filter.1.Value.1", arn(first))
        .containsEntry("Filter.2.Name", "instance-state-name");
    assertThat(values(inUse, "Filter.2.Value", ""))
        .containsExactlyInAnyOrder("pending", "running", "stopping", "stopped", "shutting-down");
    assertThat(iamRequests("DeleteInstanceProfile")).isEmpty();

    // The node is gone: the next check deletes the first profile (role removed first), not the
    // second.
    stubEc2("DescribeInstances", describeInstances());
    wm.stubFor(
        ec2("DescribeInstances")
            .withRequestBody(containing("iam-instance-profile.arn"))
            .willReturn(aResponse().withStatus(200).withBody(describeInstances())));
    clock.advance(Duration.ofMinutes(6));
    provider.core().resolver().resolve(withRole("KarpenterNodeRole-demo-v2"));

    assertThat(iamRequests("RemoveRoleFromInstanceProfile"))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f)
                    .containsEntry("InstanceProfileName", first)
                    .containsEntry("RoleName", "KarpenterNodeRole-demo"));
    assertThat(iamRequests("DeleteInstanceProfile"))
        .extracting(f -> f.get("InstanceProfileName"))
        .containsExactly(first);
  }

  @Test
  void theProfileNameHashesTheRole() {
    String a =
        provider.core().resolver().resolve(withRole("KarpenterNodeRole-demo")).instanceProfile;
    String again =
        provider
            .core()
            .resolver()
            .resolve(withRole("arn:aws:iam::123456789012:role/KarpenterNodeRole-demo"))
            .instanceProfile;
    String b = provider.core().resolver().resolve(withRole("OtherRole")).instanceProfile;
    assertThat(again).isEqualTo(a);
    assertThat(b).isNotEqualTo(a);
  }
}
