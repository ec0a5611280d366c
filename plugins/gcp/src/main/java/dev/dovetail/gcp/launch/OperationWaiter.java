package dev.dovetail.gcp.launch;

import com.google.cloud.compute.v1.Operation;
import com.google.cloud.compute.v1.ZoneOperationsClient;
import dev.dovetail.gcp.Retrier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;

/** Polls a zone operation until it is DONE, within a bound. */
public final class OperationWaiter {
  private final ZoneOperationsClient operations;
  private final Retrier retrier;
  private final String project;
  private final Duration timeout;
  private final Duration interval;

  public OperationWaiter(
      ZoneOperationsClient operations,
      Retrier retrier,
      String project,
      Duration timeout,
      Duration interval) {
    this.operations = operations;
    this.retrier = retrier;
    this.project = project;
    this.timeout = timeout;
    this.interval = interval;
  }

  /**
   * The finished operation (check {@link Operation#hasError()}).
   *
   * @throws TimeoutException when it is not DONE within the bound
   * @throws com.google.api.gax.rpc.ApiException when polling fails past the retries
   */
  public Operation await(Operation started, String zone) throws TimeoutException {
    Operation op = started;
    Instant deadline = Clock.systemUTC().instant().plus(timeout);
    while (op.getStatus() != Operation.Status.DONE) {
      if (Clock.systemUTC().instant().isAfter(deadline)) {
        throw new TimeoutException("operation " + started.getName() + " not done after " + timeout);
      }
      sleep(interval);
      String name = started.getName();
      op = retrier.call("zoneOperations.get", () -> operations.get(project, zone, name));
    }
    return op;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for an operation", e);
    }
  }
}
