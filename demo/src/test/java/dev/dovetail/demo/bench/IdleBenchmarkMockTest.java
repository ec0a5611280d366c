package dev.dovetail.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.plugins.simulated.SimulatedCloud;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code dovetail bench idle} builds the cluster it measures: every NodeClaim initialized by the
 * operator's lifecycle controller on the simulated cloud, every pod bound and seen by the
 * controllers, and nothing created or deleted in a cluster with nothing to do. (The CPU figure is
 * reported, never asserted.)
 */
class IdleBenchmarkMockTest {
  @Test
  void aSmallClusterIsBuiltAndLeftAlone() throws Exception {
    IdleBenchmark.Options options =
        parse("--nodes", "6", "--pods", "40", "--seconds", "2", "--settle-seconds", "1").options();
    IdleBenchmark.Result r =
        new IdleBenchmark(
                new SimulatedCloud(),
                new IdleBenchmark.Options(
                    options.nodes(),
                    options.pods(),
                    options.catalog(),
                    options.consolidationPolicy(),
                    Duration.ofMinutes(2),
                    options.settle(),
                    options.idle()),
                new PrintStream(new ByteArrayOutputStream()))
            .run();
    assertThat(r.nodeClaims()).isEqualTo(6);
    assertThat(r.boundPods()).isEqualTo(40);
    assertThat(r.nodeClaimsCreatedWhileIdle()).isZero();
    assertThat(r.nodeClaimsDeletedWhileIdle()).isZero();
    assertThat(r.idleSeconds()).isGreaterThanOrEqualTo(2.0);
  }

  @Test
  void badValuesNameTheOption() {
    assertThatThrownBy(() -> parse("--nodes", "0").options()).hasMessageContaining("--nodes");
    assertThatThrownBy(() -> parse("--seconds", "0").options()).hasMessageContaining("--seconds");
    assertThatThrownBy(() -> parse("--consolidation-policy", "Always").options())
        .hasMessageContaining("--consolidation-policy");
    assertThat(parse().options().idle()).isEqualTo(Duration.ofSeconds(60));
  }

  private static BenchIdleCommand parse(String... args) {
    BenchIdleCommand cmd = new BenchIdleCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd;
  }
}
