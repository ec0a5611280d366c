package dev.dovetail.demo.bench;

import dev.dovetail.cli.SubcommandProvider;

/** Registers {@code dovetail bench idle} (found by ServiceLoader). */
public final class BenchIdleSubcommand implements SubcommandProvider {
  @Override
  public String name() {
    return "idle";
  }

  @Override
  public String parent() {
    return "bench";
  }

  @Override
  public Object command() {
    return new BenchIdleCommand();
  }
}
