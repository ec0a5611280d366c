package dev.dovetail.chaos;

import dev.dovetail.cloudprovider.CloudProvider;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Supplier;

/** Runs the chaos runs one after the other (run i uses seed S+i) and adds up their figures. */
public final class Chaos {
  private final Supplier<CloudProvider> providers;
  private final int runs;
  private final long seed;
  private final int pods;
  private final Duration faultWindow;
  private final Duration settleTimeout;
  private final PrintStream out;

  public Chaos(
      Supplier<CloudProvider> providers,
      int runs,
      long seed,
      int pods,
      Duration faultWindow,
      Duration settleTimeout,
      PrintStream out) {
    this.providers = providers;
    this.runs = runs;
    this.seed = seed;
    this.pods = pods;
    this.faultWindow = faultWindow;
    this.settleTimeout = settleTimeout;
    this.out = out;
  }

  /** All runs' figures. */
  ChaosReport run() throws InterruptedException {
    ChaosReport report = ChaosReport.EMPTY;
    for (int i = 0; i < runs; i++) {
      long s = seed + i;
      ChaosRun.Result clean =
          new ChaosRun(providers, pods, s, faultWindow, settleTimeout, out).run(false);
      ChaosRun.Result chaos =
          new ChaosRun(providers, pods, s, faultWindow, settleTimeout, out).run(true);
      double over = clean.costPerHour() <= 0 ? 0 : chaos.costPerHour() / clean.costPerHour() - 1;
      report = report.add(chaos, over);
    }
    return report;
  }
}
