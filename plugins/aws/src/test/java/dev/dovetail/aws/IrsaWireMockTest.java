package dev.dovetail.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * IRSA: with no static keys, a web-identity token file and a role ARN (what EKS injects as
 * AWS_WEB_IDENTITY_TOKEN_FILE / AWS_ROLE_ARN; the SDK reads the same from the system properties
 * used here) make the default chain call STS AssumeRoleWithWebIdentity, and EC2 calls are signed
 * with the temporary credentials it returns.
 */
class IrsaWireMockTest extends AwsWireMockTestBase {
  private static final String TOKEN =
      "eyJhbGciOiJSUzI1NiIsImtpZCI6ImRvdmV0YWlsIn0.e30.c2lnbmF0dXJl";
  private static final String ROLE = "arn:aws:iam::123456789012:role/KarpenterControllerRole-demo";
  private static final List<String> PROPS =
      List.of(
          "aws.webIdentityTokenFile",
          "aws.roleArn",
          "aws.roleSessionName",
          "aws.endpointUrlSts",
          "aws.region");
  private static Path tokenFile;

  @BeforeAll
  static void webIdentity() throws Exception {
    tokenFile = Files.createTempFile("irsa-token", "");
    Files.writeString(tokenFile, TOKEN);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    PROPS.forEach(System::clearProperty);
    Files.deleteIfExists(tokenFile);
  }

  @Override
  protected boolean staticCredentials() {
    return false;
  }

  @Override
  protected Map<String, String> extraSettings() {
    // Set before the provider builds its clients (extraSettings runs inside startAws).
    System.setProperty("aws.webIdentityTokenFile", tokenFile.toString());
    System.setProperty("aws.roleArn", ROLE);
    System.setProperty("aws.roleSessionName", "dovetail-controller");
    System.setProperty("aws.endpointUrlSts", "http://localhost:" + wm.port());
    System.setProperty("aws.region", AwsFixtures.REGION);
    return Map.of();
  }

  @Test
  void webIdentityTokenAndRoleArnAssumeTheRoleThroughSts() {
    wm.stubFor(
        post(urlPathEqualTo("/"))
            .withRequestBody(containing("Action=AssumeRoleWithWebIdentity"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/xml")
                    .withBody(
                        """
                        <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                          <AssumeRoleWithWebIdentityResult>
                            <SubjectFromWebIdentityToken>system:serviceaccount:kube-system:dovetail</SubjectFromWebIdentityToken>
                            <Audience>sts.amazonaws.com</Audience>
                            <AssumedRoleUser>
                              <Arn>arn:aws:sts::123456789012:assumed-role/KarpenterControllerRole-demo/dovetail-controller</Arn>
                              <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:dovetail-controller</AssumedRoleId>
                            </AssumedRoleUser>
                            <Credentials>
                              <SessionToken>IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN</SessionToken>
                              <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
                              <Expiration>2099-01-01T00:00:00Z</Expiration>
                              <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
                            </Credentials>
                            <SourceIdentity>dovetail</SourceIdentity>
                            <Provider>arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE</Provider>
                          </AssumeRoleWithWebIdentityResult>
                          <ResponseMetadata><RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId></ResponseMetadata>
                        </AssumeRoleWithWebIdentityResponse>
                        """)));

    provider.core().instances().list(Optional.empty());

    List<LoggedRequest> sts =
        wm.findAll(
            postRequestedFor(urlPathEqualTo("/"))
                .withRequestBody(containing("Action=AssumeRoleWithWebIdentity")));
    assertThat(sts).isNotEmpty();
    Map<String, String> form = form(sts.get(0).getBodyAsString());
    assertThat(form)
        .containsEntry("Version", "2011-06-15")
        .containsEntry("RoleArn", ROLE)
        .containsEntry("WebIdentityToken", TOKEN)
        .containsEntry("RoleSessionName", "dovetail-controller");
    // AssumeRoleWithWebIdentity is unsigned; the EC2 call is signed with what it returned.
    assertThat(sts.get(0).containsHeader("Authorization")).isFalse();
    LoggedRequest ec2 =
        wm.findAll(
                postRequestedFor(urlPathEqualTo("/"))
                    .withRequestBody(containing("Action=DescribeInstances&")))
            .get(0);
    assertThat(ec2.getHeader("Authorization")).contains("Credential=ASIAIOSFODNN7EXAMPLE/");
    assertThat(ec2.getHeader("X-Amz-Security-Token"))
        .isEqualTo("IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN");
  }
}
