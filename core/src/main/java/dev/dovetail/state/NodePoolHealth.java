package dev.dovetail.state;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Node registration outcomes per NodePool (upstream's {@code state/nodepoolhealth}): the last
 * {@value #BUFFER_SIZE} launches that registered or failed, by NodePool UID. A NodePool is
 * unhealthy when at least half of that buffer ({@value #THRESHOLD_FALSE} × {@value #BUFFER_SIZE})
 * failed. Each outcome also decides what the NodePool's {@code NodeRegistrationHealthy} condition
 * becomes ({@link #verdict}): True when a success leaves it healthy, False when a failure leaves it
 * unhealthy, unchanged otherwise, exactly as upstream's registration and liveness controllers set
 * it.
 */
public final class NodePoolHealth {
  public static final int BUFFER_SIZE = 4;
  public static final double THRESHOLD_FALSE = 0.5;

  /** What the buffer says. */
  public enum Status {
    UNKNOWN,
    HEALTHY,
    UNHEALTHY
  }

  /**
   * The condition an outcome calls for.
   *
   * @param healthy True or False
   * @param reason the condition's reason (a failed launch's reason, or RegistrationFailed)
   * @param message the condition's message
   */
  public record Verdict(boolean healthy, String reason, String message) {}

  private final Map<String, Tracker> trackers = new ConcurrentHashMap<>();

  private Tracker tracker(String nodePoolUid) {
    return trackers.computeIfAbsent(nodePoolUid, k -> new Tracker());
  }

  public Status status(String nodePoolUid) {
    Tracker t = tracker(nodePoolUid);
    synchronized (t) {
      return t.status();
    }
  }

  /** A NodeClaim of the NodePool registered. */
  public void registered(String nodePoolUid) {
    Tracker t = tracker(nodePoolUid);
    synchronized (t) {
      t.add(true);
      if (t.status() == Status.HEALTHY) {
        t.verdict = new Verdict(true, "NodeRegistrationHealthy", "");
      }
    }
  }

  /** A NodeClaim of the NodePool failed to launch or register in time. */
  public void failed(String nodePoolUid, String reason, String message) {
    Tracker t = tracker(nodePoolUid);
    synchronized (t) {
      t.add(false);
      if (t.status() == Status.UNHEALTHY) {
        t.verdict = new Verdict(false, reason, message);
      }
    }
  }

  /** The condition the outcomes so far call for, if any since the last reset. */
  public Optional<Verdict> verdict(String nodePoolUid) {
    Tracker t = tracker(nodePoolUid);
    synchronized (t) {
      return Optional.ofNullable(t.verdict);
    }
  }

  /** The NodePool or its NodeClass changed: forget the outcomes (the condition is Unknown). */
  public void reset(String nodePoolUid) {
    Tracker t = tracker(nodePoolUid);
    synchronized (t) {
      t.buffer.clear();
      t.verdict = null;
    }
  }

  /**
   * After a restart (nothing recorded yet), starts from what the NodePool's condition says, as
   * upstream pre-hydrates its buffer: one success for True, enough failures for False.
   */
  public void hydrate(String nodePoolUid, String conditionStatus) {
    Tracker t = tracker(nodePoolUid);
    synchronized (t) {
      if (!t.buffer.isEmpty()) {
        return;
      }
      if ("True".equals(conditionStatus)) {
        t.buffer.add(true);
      } else if ("False".equals(conditionStatus)) {
        for (int i = 0; i < (int) (BUFFER_SIZE * THRESHOLD_FALSE); i++) {
          t.buffer.add(false);
        }
      }
    }
  }

  /** Forgets a deleted NodePool. */
  public void forget(String nodePoolUid) {
    trackers.remove(nodePoolUid);
  }

  private static final class Tracker {
    final ArrayDeque<Boolean> buffer = new ArrayDeque<>(BUFFER_SIZE);
    Verdict verdict;

    void add(boolean ok) {
      if (buffer.size() == BUFFER_SIZE) {
        buffer.removeFirst();
      }
      buffer.addLast(ok);
    }

    Status status() {
      if (buffer.isEmpty()) {
        return Status.UNKNOWN;
      }
      long failed = buffer.stream().filter(ok -> !ok).count();
      return (double) failed / BUFFER_SIZE >= THRESHOLD_FALSE ? Status.UNHEALTHY : Status.HEALTHY;
    }
  }
}
