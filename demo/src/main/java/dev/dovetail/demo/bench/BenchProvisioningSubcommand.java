package dev.dovetail.demo.bench;

import dev.dovetail.cli.SubcommandProvider;

/** Registers {@code dovetail bench provisioning} (found by ServiceLoader). */
public final class BenchProvisioningSubcommand implements SubcommandProvider {
  @Override
  public String name() {
    return "provisioning";
  }

  @Override
  public String parent() {
    return "bench";
  }

  @Override
  public Object command() {
    return new BenchProvisioningCommand();
  }
}
