package dev.dovetail.controllers.provisioning;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The phases of one provisioning pass, timed on the wall and on the provisioner thread's CPU. Both
 * are logged because they part ways under load: at 20,000 pods on two cores shared with the API
 * server, a snapshot of 0.1 s of CPU took 0.5–1 s, waiting for a core; profiles show only the CPU.
 * Made and read on the provisioner thread.
 */
final class PassPhases {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private record Phase(String name, long wallNanos, long cpuNanos) {}

  private final List<Phase> phases = new ArrayList<>();
  private final long start;
  private long wall;
  private long cpu;

  private PassPhases(long now) {
    this.start = now;
    this.wall = now;
    this.cpu = cpuNow();
  }

  /** Starts timing a pass now. */
  static PassPhases start() {
    return new PassPhases(System.nanoTime());
  }

  /** Ends the phase running since the last mark (or the start); returns its wall time. */
  long mark(String phase) {
    long nowWall = System.nanoTime();
    long nowCpu = cpuNow();
    long took = nowWall - wall;
    phases.add(new Phase(phase, took, nowCpu < 0 || cpu < 0 ? -1 : nowCpu - cpu));
    wall = nowWall;
    cpu = nowCpu;
    return took;
  }

  /** Wall time since the pass started. */
  long sinceStart() {
    return wall - start;
  }

  /** Wall time of the phase named, or 0 if it was not marked. */
  long wallNanos(String phase) {
    return phases.stream().filter(p -> p.name().equals(phase)).mapToLong(Phase::wallNanos).sum();
  }

  /**
   * "pods 12, snapshot 300 (CPU 90), ..." in ms: each phase's wall time, and its CPU on this thread
   * where that is less than nine tenths of it (a phase that waited: for a core, a lock, the API).
   */
  String summary() {
    StringBuilder out = new StringBuilder();
    for (Phase p : phases) {
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(p.name()).append(' ').append(p.wallNanos() / 1_000_000);
      if (p.cpuNanos() >= 0 && p.cpuNanos() * 10 < p.wallNanos() * 9) {
        out.append(String.format(Locale.ROOT, " (CPU %d)", p.cpuNanos() / 1_000_000));
      }
    }
    return out.toString();
  }

  private static long cpuNow() {
    return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
  }
}
