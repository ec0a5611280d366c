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
    CommandLine cli = commandLine();
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

  /** The whole command tree, with the subcommands of the modules on the class path. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.addSubcommand("validate", new ValidateCommand(new InstalledNodeClasses()::kinds));
    addOptionalSubcommands(cli);
    return cli;
  }

  /**
   * Subcommands from other modules ({@code demo} from dovetail-demo); a known one whose module is
   * absent still answers, with an error naming the missing module.
   */
  private static void addOptionalSubcommands(CommandLine cli) {
    java.util.Set<String> found = new java.util.HashSet<>();
    for (SubcommandProvider p : java.util.ServiceLoader.load(SubcommandProvider.class)) {
      CommandLine parent = p.parent() == null ? cli : cli.getSubcommands().get(p.parent());
      if (parent == null) {
        continue; // a parent this core does not have: nothing to attach the command to
      }
      parent.addSubcommand(p.name(), p.command());
      found.add(p.parent() == null ? p.name() : p.parent() + " " + p.name());
    }
    if (!found.contains("demo")) {
      cli.addSubcommand("demo", new MissingSubcommand("demo", "dovetail-demo"));
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
