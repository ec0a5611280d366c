package dev.dovetail.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsSettingsTest {
  @Test
  void namesMatchIgnoringCaseDashesAndUnderscoresAsFromTheEnvironment() {
    AwsSettings s =
        AwsSettings.from(
            "prod",
            Map.of(
                "REGION", "eu-west-1",
                "CLUSTER_CA_BUNDLE", "Q0E=",
                "cluster-endpoint", "https://x.eks.amazonaws.com",
                "CLUSTER_CIDR", "172.20.0.0/16",
                "ISOLATED_VPC", "true",
                "INTERRUPTION_QUEUE", "prod-karpenter",
                "RESERVED_ENIS", "1"));
    assertThat(s.region()).isEqualTo("eu-west-1");
    assertThat(s.clusterName()).isEqualTo("prod");
    assertThat(s.clusterCABundle()).isEqualTo("Q0E=");
    assertThat(s.clusterEndpoint()).isEqualTo("https://x.eks.amazonaws.com");
    assertThat(s.clusterCidr()).isEqualTo("172.20.0.0/16");
    assertThat(s.isolatedVpc()).isTrue();
    assertThat(s.interruptionQueue()).isEqualTo("prod-karpenter");
    assertThat(s.reservedEnis()).isEqualTo(1);
    assertThat(s.pricingRegion()).isEqualTo("eu-central-1");
    assertThat(s.endpoint()).isNull();
  }

  @Test
  void defaultsAreUpstreamsAndRegionIsRequired() {
    AwsSettings s = AwsSettings.from("c", Map.of("region", "ap-southeast-2"));
    // Not guessed: discovered with eks:DescribeCluster unless set.
    assertThat(s.kubernetesVersion()).isEmpty();
    assertThat(s.vmMemoryOverheadPercent()).isEqualTo(0.075);
    assertThat(s.maxAttempts()).isEqualTo(8);
    assertThat(s.apiCallTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.pricingRegion()).isEqualTo("ap-south-1");
    assertThatThrownBy(() -> AwsSettings.from("c", Map.of())).hasMessageContaining("region");
  }

  @Test
  void toStringRedactsTheSecretKeyAndMostOfTheKeyId() {
    AwsSettings s =
        AwsSettings.from(
            "c",
            Map.of(
                "region", "us-west-2",
                "accessKeyId", "AKIAIOSFODNN7EXAMPLE",
                "secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    assertThat(s.toString())
        .contains("region=us-west-2", "AKIA<redacted>", "secretAccessKey=<redacted>")
        .doesNotContain("wJalrXUtnFEMI", "IOSFODNN7EXAMPLE");
    assertThat(AwsSettings.from("c", Map.of("region", "us-west-2")).toString())
        .contains("secretAccessKey=null");
  }
}
