package dev.dovetail.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dovetail} command line. */
@Command(
    name = "dovetail",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Kubernetes node autoprovisioner compatible with karpenter.sh/v1.",
    subcommands = {
      RunCommand.class,
      DemoCommand.class,
      SimulateCommand.class,
      PluginsCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code (never exits the JVM). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.addSubcommand("validate", new ValidateCommand(new InstalledNodeClasses()::kinds));
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine.getErr().println("error: " + ex.getMessage());
          if (ex instanceof dev.dovetail.plugins.PluginLoadException) {
            return 2;
          }
          return ex instanceof IllegalArgumentException ? 2 : 1;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
