package dev.dovetail.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.azure.instancetype.SkuName;
import org.junit.jupiter.api.Test;

class SkuNameTest {
  @Test
  void familySeriesAndVersionFollowTheNamingConvention() {
    assertThat(SkuName.parse("Standard_D4pls_v6")).isEqualTo(new SkuName("D", "Dpls_v6", "6"));
    assertThat(SkuName.parse("Standard_NC24ads_A100_v4"))
        .isEqualTo(new SkuName("NC", "NCads_A100_v4", "4"));
    assertThat(SkuName.parse("Standard_A2_v2").version()).isEqualTo("2");
    assertThat(SkuName.parse("Standard_F8").version()).isEqualTo("1");
  }

  @Test
  void gpuNamesAndManufacturers() {
    assertThat(SkuName.gpuName("Standard_NC24ads_A100_v4")).isEqualTo("A100");
    assertThat(SkuName.gpuName("Standard_NC4as_T4_v3")).isEqualTo("T4");
    assertThat(SkuName.gpuName("Standard_NC6s_v3")).isEqualTo("V100");
    assertThat(SkuName.gpuManufacturer("Standard_ND96isr_MI300X_v5")).isEqualTo("amd");
    assertThat(SkuName.gpuManufacturer("Standard_ND96isr_H100_v5")).isEqualTo("nvidia");
  }
}
