package dev.dovetail.gcp.instancetype;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Resources;
import org.junit.jupiter.api.Test;

/** GKE's documented reservation tiers (plan-node-sizes). */
class KubeReservedTest {
  @Test
  void cpuTiers() {
    assertThat(KubeReserved.cpuMillis("n2-standard-2", 1000)).isEqualTo(60);
    assertThat(KubeReserved.cpuMillis("n2-standard-2", 2000)).isEqualTo(70);
    assertThat(KubeReserved.cpuMillis("n2-standard-4", 4000)).isEqualTo(80);
    // 80m for the first 4 cores, then 0.25% of 28 cores
    assertThat(KubeReserved.cpuMillis("n2-standard-32", 32000)).isEqualTo(150);
    assertThat(KubeReserved.cpuMillis("e2-medium", 2000)).isEqualTo(1060);
  }

  @Test
  void memoryTiers() {
    assertThat(KubeReserved.memoryMiB(1024)).isEqualTo(255);
    assertThat(KubeReserved.memoryMiB(4096)).isEqualTo(1024);
    assertThat(KubeReserved.memoryMiB(8192)).isEqualTo(1024 + 819);
    assertThat(KubeReserved.memoryMiB(16384)).isEqualTo(1024 + 819 + 819);
    assertThat(KubeReserved.memoryMiB(32768)).isEqualTo(1024 + 819 + 819 + 983);
  }

  @Test
  void bootDiskReservations() {
    long gib = 1L << 30;
    assertThat(KubeReserved.evictionThreshold(100).get(Resources.EPHEMERAL_STORAGE))
        .isEqualTo(10 * gib);
    assertThat(KubeReserved.systemReserved(100).get(Resources.EPHEMERAL_STORAGE))
        .isEqualTo(41 * gib);
    assertThat(KubeReserved.systemReserved(20).get(Resources.EPHEMERAL_STORAGE))
        .isEqualTo(10 * gib);
    assertThat(KubeReserved.systemReserved(1000).get(Resources.EPHEMERAL_STORAGE))
        .isEqualTo(100 * gib);
  }
}
