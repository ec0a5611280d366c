package dev.dovetail.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** Stands in for an optional subcommand whose module is not installed, and says so. */
@Command(
    hidden = true,
    description = "Not installed in this distribution.",
    mixinStandardHelpOptions = false)
final class MissingSubcommand implements Callable<Integer> {
  private final String name;
  private final String module;

  @Unmatched List<String> ignored;

  MissingSubcommand(String name, String module) {
    this.name = name;
    this.module = module;
  }

  @Override
  public Integer call() {
    throw new IllegalArgumentException(
        "'dovetail "
            + name
            + "' is not available: its module ("
            + module
            + ".jar) is not on the classpath (lib/ of the distribution)");
  }
}
