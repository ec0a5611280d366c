package dev.dovetail.cli;

import picocli.CommandLine.Command;

/** {@code dovetail bench}: the benchmark workloads as plain commands (JMH lives in bench/). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Runs a benchmark workload and prints its figures.",
    subcommands = {BenchSchedulingCommand.class, BenchConsolidationCommand.class})
public final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
