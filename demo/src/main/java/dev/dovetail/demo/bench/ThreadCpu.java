package dev.dovetail.demo.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * CPU time of this JVM's threads by role, from {@link ThreadMXBean}. Threads are sampled every half
 * second and their last reading is kept, so threads that end (pooled HTTP workers, submitters)
 * still count, up to half a second of their last work.
 */
final class ThreadCpu implements AutoCloseable {
  /** Who a thread works for. */
  enum Role {
    /** The embedded Kubernetes API server (Vert.x and its own workers). */
    API_SERVER,
    /**
     * The stand-in scheduler and ReplicaSet controller, the pod submitter and the benchmark's own
     * polling.
     */
    STAND_IN,
    /**
     * The JVM itself: garbage collection and JIT compilation (process CPU not spent on a Java
     * thread), shared by everything above.
     */
    JVM,
    /** Everything else: the controllers, their informers and their HTTP client. */
    CONTROLLERS
  }

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Function<String, Role> classify;
  private final Map<Long, Long> lastCpu = new HashMap<>();
  private final Map<Long, Role> roles = new HashMap<>();
  private final Map<Long, String> names = new HashMap<>();
  private final ScheduledExecutorService sampler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bench-cpu-sampler");
            t.setDaemon(true);
            return t;
          });

  ThreadCpu(Function<String, Role> classify) {
    this.classify = classify;
    threads.setThreadCpuTimeEnabled(true);
    sampler.scheduleAtFixedRate(this::sample, 0, 500, TimeUnit.MILLISECONDS);
  }

  /** Classifies by thread name; {@code standInHttp} are the stand-in's own HTTP client ids. */
  static Role byName(String name, Set<String> standInHttp) {
    if (name.startsWith("vert.x-") || name.startsWith("kube-api-")) {
      return Role.API_SERVER;
    }
    if (name.startsWith("binder")
        || name.equals("rescheduler")
        || name.startsWith("workload-submit")
        || name.startsWith("bench-")
        || name.equals("main")) {
      return Role.STAND_IN;
    }
    String client = httpClientId(name);
    if (client != null) {
      return standInHttp.contains(client) ? Role.STAND_IN : Role.CONTROLLERS;
    }
    if (name.startsWith("GC ")
        || name.startsWith("G1 ")
        || name.startsWith("C1 ")
        || name.startsWith("C2 ")
        || name.startsWith("VM ")
        || name.equals("Sweeper thread")
        || name.equals("Common-Cleaner")
        || name.equals("Service Thread")
        || name.equals("Monitor Deflation Thread")) {
      return Role.JVM;
    }
    return Role.CONTROLLERS;
  }

  /**
   * Which HTTP client a thread works for: the JDK client's own threads are {@code
   * HttpClient-<n>-...}, the pool fabric8 gives each client {@code
   * JdkHttpClientFactory-<hash>-...}; null for any other thread.
   */
  static String httpClientId(String name) {
    for (String prefix : new String[] {"HttpClient-", "JdkHttpClientFactory-"}) {
      if (name.startsWith(prefix)) {
        int dash = name.indexOf('-', prefix.length());
        return prefix
            + (dash < 0 ? name.substring(prefix.length()) : name.substring(prefix.length(), dash));
      }
    }
    return null;
  }

  /** The HTTP clients (see {@link #httpClientId}) whose threads exist right now. */
  static Set<String> httpClientIds() {
    Set<String> ids = new java.util.HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String id = httpClientId(t.getName());
      if (id != null) {
        ids.add(id);
      }
    }
    return ids;
  }

  private synchronized void sample() {
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long id = info.getThreadId();
      long cpu = threads.getThreadCpuTime(id);
      if (cpu < 0) {
        continue;
      }
      lastCpu.put(id, cpu);
      names.computeIfAbsent(id, x -> info.getThreadName());
      roles.computeIfAbsent(id, x -> classify.apply(info.getThreadName()));
    }
  }

  /** CPU seconds per role so far (samples first). */
  synchronized Map<Role, Double> seconds() {
    sample();
    Map<Role, Double> out = new EnumMap<>(Role.class);
    for (Role r : Role.values()) {
      out.put(r, 0.0);
    }
    lastCpu.forEach((id, cpu) -> out.merge(roles.get(id), cpu / 1e9, Double::sum));
    double javaThreads = out.values().stream().mapToDouble(Double::doubleValue).sum();
    double process = processSeconds();
    out.merge(Role.JVM, Math.max(0, process - javaThreads), Double::sum);
    return out;
  }

  /** CPU seconds of the whole process (all threads, the JVM's own included). */
  static double processSeconds() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime() / 1e9;
    }
    return 0;
  }

  /** The busiest threads of a role so far, "name=seconds", for the text report. */
  synchronized String busiest(Role role, int count) {
    return lastCpu.entrySet().stream()
        .filter(e -> roles.get(e.getKey()) == role)
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .limit(count)
        .map(
            e ->
                String.format(
                    java.util.Locale.ROOT, "%s=%.1fs", names.get(e.getKey()), e.getValue() / 1e9))
        .reduce((a, b) -> a + ", " + b)
        .orElse("-");
  }

  /** Every thread's CPU nanoseconds so far, by thread id (samples first). */
  synchronized Map<Long, Long> perThread() {
    sample();
    return Map.copyOf(lastCpu);
  }

  /**
   * The busiest threads of a role between two {@link #perThread} readings, "name=seconds" (the idle
   * window's busiest, not the run's).
   */
  synchronized String busiestBetween(
      Map<Long, Long> before, Map<Long, Long> after, Role role, int count) {
    return after.entrySet().stream()
        .filter(e -> roles.get(e.getKey()) == role)
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .limit(count)
        .map(
            e ->
                String.format(
                    java.util.Locale.ROOT, "%s=%.2fs", names.get(e.getKey()), e.getValue() / 1e9))
        .reduce((a, b) -> a + ", " + b)
        .orElse("-");
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
