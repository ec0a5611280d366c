package dev.dovetail.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.testkit.Eventually;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HeapAfterGcTest {
  @Test
  void aCollectionReportsWhatItLeftOnTheHeap() throws Exception {
    try (HeapAfterGc heap = new HeapAfterGc()) {
      assertThat(heap.peakMiB()).as("nothing collected yet").isZero();
      // ~64 MiB held across the collection: it cannot be less than that after it
      byte[][] live = new byte[64][];
      for (int i = 0; i < live.length; i++) {
        live[i] = new byte[1024 * 1024];
      }
      System.gc();
      Eventually.await(
          Duration.ofSeconds(10), () -> heap.collections() > 0, () -> "a collection reported");
      assertThat(heap.peakMiB())
          .isGreaterThanOrEqualTo(64)
          .isLessThanOrEqualTo(Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0));
      assertThat(live[63]).hasSize(1024 * 1024);
    }
  }
}
