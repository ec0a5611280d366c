package dev.dovetail.demo.bench;

import dev.dovetail.plugins.simulated.SimulatedCloud;
import picocli.CommandLine;

/**
 * {@code dovetail bench provisioning} from the build tree with the simulated cloud on the classpath
 * (no plugins directory): same options as the command.
 */
public final class ProvisioningBenchLauncher {
  private ProvisioningBenchLauncher() {}

  public static void main(String[] args) throws Exception {
    BenchProvisioningCommand command = new BenchProvisioningCommand();
    new CommandLine(command).parseArgs(args);
    dev.dovetail.operator.Logging.configure(command.provider.logLevel, "text");
    System.exit(command.run(new SimulatedCloud()));
  }
}
