package dev.dovetail.chaos;

import dev.dovetail.cloudprovider.CloudProvider;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/** Runs the chaos runs one after the other (run i uses seed S+i) and adds up their figures. */
public final class Chaos {
  private final Supplier<CloudProvider> providers;
  private final Map<String, String> providerSettings;
  private final int runs;
  private final long seed;
  private final int pods;
  private final Duration faultWindow;
  private final Duration settleTimeout;
  private final PrintStream out;

  /**
   * {@code providerSettings} are the provider's settings ({@code --provider-setting}), applied over
   * chaos's own for the simulated cloud and alone for any other provider.
   */
  public Chaos(
      Supplier<CloudProvider> providers,
      Map<String, String> providerSettings,
      int runs,
      long seed,
      int pods,
      Duration faultWindow,
      Duration settleTimeout,
      PrintStream out) {
    this.providers = providers;
    this.providerSettings = Map.copyOf(providerSettings);
    this.runs = runs;
    this.seed = seed;
    this.pods = pods;
    this.faultWindow = faultWindow;
    this.settleTimeout = settleTimeout;
    this.out = out;
  }

  /**
   * One run, tried again (at most twice more) when it throws: a run that ends measures its
   * invariants into a result, so an exception is the harness failing (e.g. a client timing out
   * while setting up the cluster on an overloaded machine), not the controllers. Each retry is
   * printed.
   */
  private ChaosRun.Result attempt(long s, boolean chaos) throws InterruptedException {
    for (int i = 1; ; i++) {
      try {
        return new ChaosRun(providers, providerSettings, pods, s, faultWindow, settleTimeout, out)
            .run(chaos);
      } catch (RuntimeException e) {
        if (i == 3) {
          throw e;
        }
        out.printf("  run seed %d%s failed (%s); trying again%n", s, chaos ? "" : " (clean)", e);
      }
    }
  }

  /** All runs' figures. */
  ChaosReport run() throws InterruptedException {
    ChaosReport report = ChaosReport.EMPTY;
    for (int i = 0; i < runs; i++) {
      long s = seed + i;
      ChaosRun.Result clean = attempt(s, false);
      ChaosRun.Result chaos = attempt(s, true);
      double over = clean.costPerHour() <= 0 ? 0 : chaos.costPerHour() / clean.costPerHour() - 1;
      report = report.add(chaos, over);
    }
    return report;
  }
}
