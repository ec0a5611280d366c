package dev.dovetail.cloudprovider.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Makes a conformance run that checked nothing fail instead of pass: counts, per test class, the
 * contract tests that ran (passed or failed) and those skipped, and fails the class when none ran.
 * A kit whose every test is skipped (no hook supported, an assumption that never holds, a backend
 * that is never reachable) would otherwise report success. Prints a one-line summary either way, so
 * a build log shows how much of the contract a provider really passed.
 */
final class ContractCoverage implements TestWatcher, AfterAllCallback {

  private static final Namespace NAMESPACE = Namespace.create(ContractCoverage.class);

  /** What one test class's run has seen so far (kept in JUnit's class-level store). */
  private static final class Tally {
    int ran;
    final List<String> skipped = new ArrayList<>();
  }

  private static Tally tally(ExtensionContext context) {
    ExtensionContext classContext = context.getParent().orElse(context);
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Tally.class, k -> new Tally(), Tally.class);
  }

  @Override
  public void testSuccessful(ExtensionContext context) {
    tally(context).ran++;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    tally(context).ran++;
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    tally(context).skipped.add(context.getDisplayName() + " (" + cause.getMessage() + ")");
  }

  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {
    tally(context).skipped.add(context.getDisplayName() + " (disabled)");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Tally tally =
        context
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(Tally.class, k -> new Tally(), Tally.class);
    String name = context.getRequiredTestClass().getSimpleName();
    System.out.printf(
        "CloudProvider conformance kit (%s): %d contract tests ran, %d skipped%s%n",
        name,
        tally.ran,
        tally.skipped.size(),
        tally.skipped.isEmpty() ? "" : ": " + String.join("; ", tally.skipped));
    if (tally.ran == 0) {
      throw new AssertionError(
          ("the CloudProvider conformance kit ran 0 contract tests for %s (%d skipped: %s):"
                  + " a provider that checked nothing has not passed; make startProvider() and"
                  + " the hooks work against your backend")
              .formatted(name, tally.skipped.size(), String.join("; ", tally.skipped)));
    }
  }
}
