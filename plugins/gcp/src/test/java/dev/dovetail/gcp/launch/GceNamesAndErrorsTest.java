package dev.dovetail.gcp.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.compute.v1.Error;
import com.google.cloud.compute.v1.Errors;
import com.google.cloud.compute.v1.Operation;
import org.junit.jupiter.api.Test;

class GceNamesAndErrorsTest {
  @Test
  void instanceNamesAreTheClaimNameWhenLegalAndStableOtherwise() {
    assertThat(GceNames.instanceName("default-abc12")).isEqualTo("default-abc12");
    String odd = GceNames.instanceName("My.Pool-x1");
    assertThat(odd).matches("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$");
    assertThat(GceNames.instanceName("My.Pool-x1")).isEqualTo(odd);
    assertThat(GceNames.instanceName("1" + "a".repeat(80))).hasSizeLessThanOrEqualTo(63);
    assertThat(GceNames.labelValue("Team.Platform")).isEqualTo("team-platform");
    assertThat(GceNames.labelValue("x".repeat(100))).hasSize(63);
  }

  private static Operation failed(String code) {
    return Operation.newBuilder()
        .setStatus(Operation.Status.DONE)
        .setError(Error.newBuilder().addErrors(Errors.newBuilder().setCode(code).setMessage("m")))
        .build();
  }

  @Test
  void operationErrorsAreClassified() {
    assertThat(GceErrors.of(failed("ZONE_RESOURCE_POOL_EXHAUSTED")))
        .isEqualTo(GceErrors.Kind.CAPACITY);
    assertThat(GceErrors.of(failed("ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS")))
        .isEqualTo(GceErrors.Kind.CAPACITY);
    assertThat(GceErrors.of(failed("QUOTA_EXCEEDED"))).isEqualTo(GceErrors.Kind.QUOTA);
    assertThat(GceErrors.of(failed("INVALID_FIELD_VALUE"))).isEqualTo(GceErrors.Kind.OTHER);
    assertThat(GceErrors.kindOf("Quota 'CPUS' exceeded. Limit: 24.0"))
        .isEqualTo(GceErrors.Kind.QUOTA);
    assertThat(GceErrors.kindOf("stockout in us-central1-a")).isEqualTo(GceErrors.Kind.CAPACITY);
  }

  @Test
  void podRangesAreSizedForMaxPodsAsGkeDoes() {
    dev.dovetail.gcp.v1alpha1.GCENodeClassSpec spec =
        new dev.dovetail.gcp.v1alpha1.GCENodeClassSpec();
    assertThat(InstanceRequests.podRangeSize(spec)).isEqualTo("/24");
    spec.kubeletConfiguration = new dev.dovetail.gcp.v1alpha1.KubeletConfiguration();
    spec.kubeletConfiguration.maxPods = 8;
    assertThat(InstanceRequests.podRangeSize(spec)).isEqualTo("/28");
    spec.kubeletConfiguration.maxPods = 32;
    assertThat(InstanceRequests.podRangeSize(spec)).isEqualTo("/26");
    spec.kubeletConfiguration.maxPods = 256;
    assertThat(InstanceRequests.podRangeSize(spec)).isEqualTo("/23");
  }
}
