package dev.dovetail.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * PLACEHOLDER written on the {@code loader} branch so the distribution's launcher has a class to
 * run: only the {@code plugins} subcommand. The lead's Main (run, demo, validate, plugins, bench)
 * replaces this file on merge.
 */
@Command(
    name = "dovetail",
    mixinStandardHelpOptions = true,
    version = "dovetail 0.1.0-SNAPSHOT",
    description =
        "Kubernetes node autoprovisioner (karpenter.sh/v1) with cloud providers as plugins.",
    subcommands = {PluginsCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}
