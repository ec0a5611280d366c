package dev.dovetail.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo's report, kubeconfig and hold options parse as documented. */
class DemoCommandTest {
  @Test
  void reportKubeconfigAndHoldOptions() {
    DemoCommand cmd = new DemoCommand();
    new CommandLine(cmd)
        .parseArgs("--report", "out/r.html", "--kubeconfig-out", "kc.yaml", "--hold");
    assertThat(cmd.report).isEqualTo(Path.of("out/r.html"));
    assertThat(cmd.kubeconfigOut).isEqualTo(Path.of("kc.yaml"));
    assertThat(cmd.hold).isTrue();
  }

  @Test
  void theyAreOffByDefault() {
    DemoCommand cmd = new DemoCommand();
    new CommandLine(cmd).parseArgs();
    assertThat(cmd.report).isNull();
    assertThat(cmd.kubeconfigOut).isNull();
    assertThat(cmd.hold).isFalse();
  }

  @Test
  void helpListsTheNewOptions() {
    String usage = new CommandLine(new DemoCommand()).getUsageMessage();
    assertThat(usage).contains("--report", "--kubeconfig-out", "--hold");
  }
}
