package dev.dovetail.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The extra JVM options the cluster's process is started with ({@code DOVETAIL_CLUSTER_JAVA_OPTS}).
 */
class ClusterChildTest {
  @Test
  void extraOptionsAreTheVariablesWordsAndNoneWhenItIsUnsetOrBlank() {
    assertThat(ClusterChild.extraOptions(null)).isEmpty();
    assertThat(ClusterChild.extraOptions("   ")).isEmpty();
    assertThat(
            ClusterChild.extraOptions(
                " -XX:StartFlightRecording=filename=child.jfr,settings=profile   -Xss1m "))
        .containsExactly("-XX:StartFlightRecording=filename=child.jfr,settings=profile", "-Xss1m");
  }
}
