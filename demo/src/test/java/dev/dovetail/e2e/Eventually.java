package dev.dovetail.e2e;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a generous deadline passes (no fixed sleeps in tests). */
public final class Eventually {
  private Eventually() {}

  public static void await(Duration timeout, BooleanSupplier condition, Supplier<String> describe)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + ": " + describe.get());
      }
      Thread.sleep(50);
    }
  }
}
