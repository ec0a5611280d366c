package dev.dovetail.chaos;

import dev.dovetail.cli.SubcommandProvider;

/** Registers {@code dovetail chaos} with the core's command line (found by ServiceLoader). */
public final class ChaosSubcommand implements SubcommandProvider {
  @Override
  public String name() {
    return "chaos";
  }

  @Override
  public Object command() {
    return new ChaosCommand();
  }
}
