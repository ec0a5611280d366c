package dev.dovetail.apiserver.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time per thread at one moment, to split a benchmark's CPU between the API server's own
 * threads (Vert.x event loops and workers, {@code kube-api-*}) and the in-process clients that load
 * it: on a shared machine, CPU per operation is the figure the neighbours distort least.
 */
record ThreadCpu(Map<Long, String> names, Map<Long, Long> nanos) {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  static ThreadCpu now() {
    Map<Long, String> names = new HashMap<>();
    Map<Long, Long> nanos = new HashMap<>();
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = THREADS.getThreadCpuTime(info.getThreadId());
      if (cpu >= 0) {
        names.put(info.getThreadId(), info.getThreadName());
        nanos.put(info.getThreadId(), cpu);
      }
    }
    return new ThreadCpu(names, nanos);
  }

  static boolean isServer(String thread) {
    return thread.startsWith("vert.x-") || thread.startsWith("kube-api-");
  }

  /** Server and client CPU since {@code before} (threads that ended meanwhile are not counted). */
  Split since(ThreadCpu before) {
    long server = 0;
    long client = 0;
    Map<String, Long> groups = new TreeMap<>();
    for (Map.Entry<Long, Long> e : nanos.entrySet()) {
      long delta = e.getValue() - before.nanos().getOrDefault(e.getKey(), 0L);
      String name = names.get(e.getKey());
      if (isServer(name)) {
        server += delta;
        groups.merge(name.replaceAll("-\\d+$", ""), delta, Long::sum);
      } else {
        client += delta;
      }
    }
    return new Split(server, client, groups);
  }

  /** CPU split between the server's threads and the rest. */
  record Split(long serverNanos, long clientNanos, Map<String, Long> serverByGroup) {
    String serverGroups(int operations) {
      StringBuilder sb = new StringBuilder();
      serverByGroup.forEach(
          (g, n) ->
              sb.append(sb.length() == 0 ? "" : ", ")
                  .append(g)
                  .append(' ')
                  .append(String.format("%.3f", n / 1e6 / operations))
                  .append(" ms"));
      return sb.toString();
    }
  }
}
