package dev.dovetail.apiserver.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's every phase runs and counts what it claims, at a tiny size (no timing asserted).
 */
class ApiServerBenchmarkMockTest {
  @Test
  @SuppressWarnings("unchecked")
  void measuresEveryTargetAndDeliversEveryEventToEveryWatcher() throws Exception {
    Map<String, Object> r =
        ApiServerBenchmark.run(
            ApiServerBenchmark.Options.parse(
                new String[] {
                  "60",
                  "6",
                  "--lists",
                  "3",
                  "--write-seconds",
                  "1",
                  "--writers",
                  "2",
                  "--watchers",
                  "3",
                  "--json"
                }));

    assertThat(r.get("storedPods")).isEqualTo(60);
    assertThat(r.get("storedNodes")).isEqualTo(6);
    assertThat(((Map<String, Double>) r.get("listAllPodsMs")).get("n")).isEqualTo(3.0);
    assertThat(((Map<String, Double>) r.get("getMs")).get("n")).isEqualTo(2000.0);
    assertThat((long) r.get("writes")).isPositive();
    assertThat(r.get("writesFailed")).isEqualTo(0L);
    assertThat(r.get("eventsExpected")).isEqualTo(3 * (long) r.get("writes"));
    assertThat(r.get("eventsDelivered")).isEqualTo(r.get("eventsExpected"));
    assertThat(r).containsKeys("serverCpuPerWriteMs", "heapAfterLoadMiB", "heapEndMiB");
  }
}
