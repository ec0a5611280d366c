package dev.dovetail.demo;

import dev.dovetail.operator.Logging;
import dev.dovetail.operator.Settings;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import java.time.Duration;

/**
 * Runs the demo from the build tree with the simulated cloud on the classpath (no plugins
 * directory): {@code DemoLauncher PODS LAUNCH_LATENCY_MS SCALE_DOWN TIMEOUT_S}. For benchmarks.
 */
public final class DemoLauncher {
  private DemoLauncher() {}

  public static void main(String[] args) throws Exception {
    Logging.configure(System.getProperty("demo.log", "warn"), "text");
    int pods = Integer.parseInt(args[0]);
    Duration latency = Duration.ofMillis(Long.parseLong(args[1]));
    boolean scaleDown = Boolean.parseBoolean(args[2]);
    Duration timeout = Duration.ofSeconds(Long.parseLong(args[3]));
    Demo.Summary s =
        new Demo(
                new SimulatedCloud(),
                new Demo.Options(
                    pods,
                    "aws",
                    42,
                    timeout,
                    latency,
                    null,
                    Settings.defaults().withClusterName("demo"),
                    -1,
                    scaleDown),
                System.out)
            .run();
    System.exit(s.pods().pending() == 0 ? 0 : 1);
  }
}
