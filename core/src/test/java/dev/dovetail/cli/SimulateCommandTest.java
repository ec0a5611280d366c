package dev.dovetail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad arguments to {@code dovetail simulate} are refused with a message naming the option. */
class SimulateCommandTest {
  private static String run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SimulateCommand());
    cli.setErr(new PrintWriter(err));
    cli.setExecutionExceptionHandler(
        (e, c, p) -> {
          c.getErr().println("error: " + e.getMessage());
          return 2;
        });
    int code = cli.execute(args);
    assertThat(code).isNotZero();
    return err.toString();
  }

  @Test
  void unknownQuestion() {
    assertThat(run("-f", "x.yaml", "--question", "why")).contains("--question must be provision");
  }

  @Test
  void removeNodeNeedsANode() {
    assertThat(run("-f", "x.yaml", "--question", "remove-node")).contains("needs --node NAME");
  }

  @Test
  void nodePoolChangeNeedsAFile() {
    assertThat(run("-f", "x.yaml", "--question", "nodepool-change"))
        .contains("needs --nodepool-file");
  }

  @Test
  void filesOrAClusterButNotNeither() {
    assertThat(run()).contains("give either -f PATH");
  }

  @Test
  void badOutput() {
    assertThat(run("-f", "x.yaml", "--output", "pdf"))
        .contains("--output must be table, json or html");
  }
}
