package dev.dovetail.demo;

import dev.dovetail.cli.SubcommandProvider;

/** Registers {@code dovetail demo} with the core's command line (found by ServiceLoader). */
public final class DemoSubcommand implements SubcommandProvider {
  @Override
  public String name() {
    return "demo";
  }

  @Override
  public Object command() {
    return new DemoCommand();
  }
}
