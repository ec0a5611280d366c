package dev.dovetail.cloudprovider.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a generous deadline passes: tests of asynchronous code wait
 * for an outcome, never for a fixed time.
 */
public final class Eventually {
  private Eventually() {}

  /**
   * Returns once {@code condition} holds; fails with {@code describe}'s text (evaluated then, so it
   * shows the state at the deadline) when it still does not after {@code timeout}.
   */
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

  /** {@link #await(Duration, BooleanSupplier, Supplier)} with a fixed description. */
  public static void await(Duration timeout, BooleanSupplier condition, String what)
      throws InterruptedException {
    await(timeout, condition, () -> what);
  }
}
