package dev.dovetail.controllers.provisioning;

import java.time.Duration;

/**
 * Groups pending-pod triggers into batches: a batch closes when no trigger came for {@code idle},
 * or {@code max} after its first trigger (Karpenter's batch-idle-duration / batch-max-duration).
 * Solving many pods at once packs them better than solving each as it arrives.
 */
final class Batcher {
  private final long idleNanos;
  private final long maxNanos;
  private long first = -1;
  private long last = -1;
  private boolean closed;

  Batcher(Duration idle, Duration max) {
    this.idleNanos = idle.toNanos();
    this.maxNanos = max.toNanos();
  }

  synchronized void trigger() {
    long now = System.nanoTime();
    if (first < 0) {
      first = now;
    }
    last = now;
    notifyAll();
  }

  synchronized void close() {
    closed = true;
    notifyAll();
  }

  /**
   * Blocks until a batch window closes.
   *
   * @return false when the batcher was closed
   */
  synchronized boolean awaitBatch() throws InterruptedException {
    while (!closed && first < 0) {
      wait();
    }
    while (!closed) {
      long now = System.nanoTime();
      long idleLeft = idleNanos - (now - last);
      long maxLeft = maxNanos - (now - first);
      if (idleLeft <= 0 || maxLeft <= 0) {
        first = -1;
        last = -1;
        return true;
      }
      long waitNanos = Math.min(idleLeft, maxLeft);
      wait(Math.max(1, waitNanos / 1_000_000), 0);
    }
    return false;
  }
}
