package dev.dovetail.controllers.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PassPhasesTest {
  @Test
  void phasesAreReportedInOrderWithTheCpuOfOneThatWaited() throws InterruptedException {
    PassPhases phases = PassPhases.start();
    phases.mark("pods");
    Thread.sleep(30); // waits without using the CPU, as a thread waiting for a core does
    long waited = phases.mark("snapshot");
    phases.mark("solve");

    assertThat(waited).isGreaterThanOrEqualTo(30_000_000L);
    assertThat(phases.wallNanos("snapshot")).isEqualTo(waited);
    assertThat(phases.wallNanos("create")).isZero();
    assertThat(phases.sinceStart()).isGreaterThanOrEqualTo(waited);
    assertThat(phases.summary())
        .matches("pods \\d+.*, snapshot \\d+ \\(CPU \\d+\\), solve \\d+.*")
        .startsWith("pods ");
  }
}
