package dev.dovetail.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChaosReportTest {
  @Test
  void addsRunsAndNamesEveryFailedInvariant() {
    ChaosReport report =
        ChaosReport.EMPTY
            .add(new ChaosRun.Result(10, 1, 0, 0, 0, 0, 0, 1.0), 0.02)
            .add(new ChaosRun.Result(5, 1, 2, 1, 1, 3, 4, 1.0), 0.01);

    assertThat(report.runs()).isEqualTo(2);
    assertThat(report.faultsInjected()).isEqualTo(15);
    assertThat(report.restarts()).isEqualTo(2);
    assertThat(report.costOverCleanRun()).isEqualTo(0.02);
    assertThat(report.violations())
        .hasSize(5)
        .anyMatch(v -> v.startsWith("podsLost=2"))
        .anyMatch(v -> v.startsWith("leakedInstances=1"))
        .anyMatch(v -> v.startsWith("duplicateInstances=1"))
        .anyMatch(v -> v.startsWith("stuckNodeClaims=3"))
        .anyMatch(v -> v.startsWith("unexplainedPending=4"));
  }

  @Test
  void aRunMoreThanFivePercentDearerThanItsCleanRunIsAViolation() {
    ChaosRun.Result ok = new ChaosRun.Result(3, 1, 0, 0, 0, 0, 0, 1.0);

    assertThat(ChaosReport.EMPTY.add(ok, 0.05).violations()).isEmpty();
    assertThat(ChaosReport.EMPTY.add(ok, 0.0601).add(ok, -0.2).violations())
        .singleElement()
        .satisfies(v -> assertThat(v).startsWith("costOverCleanRun=0.0601"));
  }

  @Test
  void theCostBoundCanBeSetPerInvocation() {
    ChaosRun.Result ok = new ChaosRun.Result(3, 1, 0, 0, 0, 0, 0, 1.0);
    ChaosReport report = ChaosReport.EMPTY.add(ok, 0.0968);

    assertThat(report.violations(0.15)).isEmpty();
    assertThat(report.violations(0.05))
        .singleElement()
        .satisfies(v -> assertThat(v).startsWith("costOverCleanRun=0.0968").contains("5.0 %"));
  }

  @Test
  void aCleanReportHasNoViolations() {
    assertThat(ChaosReport.EMPTY.add(new ChaosRun.Result(3, 1, 0, 0, 0, 0, 0, 1.0), 0).violations())
        .isEmpty();
  }
}
