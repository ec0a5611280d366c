package dev.dovetail.apiserver.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dovetail.apiserver.KubeApiServer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 13's load targets, each measured directly on the embedded API server (BENCHMARKS.md): with
 * PODS pods on NODES nodes stored over HTTP, the latency of listing all pods (median and p90 over
 * {@code --lists}), of a get and of a merge patch (medians), the writes/s sustained for {@code
 * --write-seconds} by {@code --writers} concurrent clients while {@code --watchers} watches receive
 * every event, and the heap after GC with everything stored. Beside each wall figure, the CPU the
 * server's own threads spent per operation (the figure a loaded machine distorts least). Server and
 * clients share one JVM; the clients are raw keep-alive HTTP connections ({@link RawHttp}) so that
 * they cost little next to the server.
 *
 * <pre>java -Xmx1g -cp ... dev.dovetail.apiserver.bench.ApiServerBenchmark [PODS] [NODES]
 *   [--lists 20] [--write-seconds 15] [--writers 16] [--watchers 20] [--json]</pre>
 */
public final class ApiServerBenchmark {
  private ApiServerBenchmark() {}

  /** The command line. */
  record Options(
      int pods, int nodes, int lists, int writeSeconds, int writers, int watchers, boolean json) {
    static Options parse(String[] args) {
      List<Integer> positional = new ArrayList<>();
      Map<String, Integer> named = new LinkedHashMap<>();
      boolean json = false;
      for (int i = 0; i < args.length; i++) {
        if (args[i].equals("--json")) {
          json = true;
        } else if (args[i].startsWith("--")) {
          named.put(args[i].substring(2), Integer.parseInt(args[++i]));
        } else {
          positional.add(Integer.parseInt(args[i]));
        }
      }
      return new Options(
          positional.size() > 0 ? positional.get(0) : 50_000,
          positional.size() > 1 ? positional.get(1) : 5_000,
          named.getOrDefault("lists", 20),
          named.getOrDefault("write-seconds", 15),
          named.getOrDefault("writers", 16),
          named.getOrDefault("watchers", 20),
          json);
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    Map<String, Object> result = run(o);
    if (o.json()) {
      System.out.println(new ObjectMapper().writeValueAsString(result));
    }
    System.exit(0);
  }

  static Map<String, Object> run(Options o) throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("pods", o.pods());
    r.put("nodes", o.nodes());
    r.put("loadAverageAtStart", loadAverage());
    try (KubeApiServer api = KubeApiServer.start()) {
      int port = api.port();
      ExecutorService pool = Executors.newFixedThreadPool(o.writers() + o.watchers() + 2);

      // 1. store the nodes and pods, from concurrent clients
      long t0 = System.nanoTime();
      AtomicLong next = new AtomicLong();
      int total = o.nodes() + o.pods();
      List<Future<?>> loading = new ArrayList<>();
      for (int w = 0; w < o.writers(); w++) {
        loading.add(
            pool.submit(
                () -> {
                  try (RawHttp http = new RawHttp("127.0.0.1", port)) {
                    for (long i; (i = next.getAndIncrement()) < total; ) {
                      int n = (int) i;
                      if (n < o.nodes()) {
                        expect(201, http.send("POST", "/api/v1/nodes", JSON, node(n), false));
                      } else {
                        int p = n - o.nodes();
                        expect(
                            201,
                            http.send(
                                "POST",
                                "/api/v1/namespaces/ns-" + (p % 50) + "/pods",
                                JSON,
                                pod(p, o.nodes()),
                                false));
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : loading) {
        f.get();
      }
      double loadSeconds = (System.nanoTime() - t0) / 1e9;
      r.put("storedPods", api.count("", "pods"));
      r.put("storedNodes", api.count("", "nodes"));
      r.put("createsPerSecond", Math.round(total / loadSeconds));
      r.put("heapAfterLoadMiB", heapAfterGcMiB());
      log(
          o,
          "stored %d pods and %d nodes in %.1f s (%d writers); heap after GC %d MiB",
          api.count("", "pods"),
          api.count("", "nodes"),
          loadSeconds,
          o.writers(),
          r.get("heapAfterLoadMiB"));

      try (RawHttp http = new RawHttp("127.0.0.1", port)) {
        // 2. list all pods: wall and CPU per list, after two unmeasured lists
        List<Double> wall = new ArrayList<>();
        List<Double> server = new ArrayList<>();
        List<Double> client = new ArrayList<>();
        long bytes = 0;
        r.put("listsStarted", Instant.now().toString());
        for (int i = 0; i < o.lists() + 2; i++) {
          ThreadCpu c = ThreadCpu.now();
          long s = System.nanoTime();
          RawHttp.Response list = expect(200, http.send("GET", "/api/v1/pods", null, null, false));
          double ms = (System.nanoTime() - s) / 1e6;
          ThreadCpu.Split split = ThreadCpu.now().since(c);
          bytes = list.length();
          if (i >= 2) {
            wall.add(ms);
            server.add(split.serverNanos() / 1e6);
            client.add(split.clientNanos() / 1e6);
          }
        }
        r.put("listAllPodsMB", bytes / 1_000_000);
        r.put("listAllPodsMs", stats(wall));
        r.put("listAllPodsServerCpuMs", stats(server));
        r.put("listAllPodsClientCpuMs", stats(client));
        log(
            o,
            "list all pods (%d MB) x%d: wall %s ms; server CPU %s ms; client CPU %s ms; load average %s",
            bytes / 1_000_000,
            o.lists(),
            summary(wall),
            summary(server),
            summary(client),
            loadAverage());

        // 3. one node's pods by field selector
        List<Double> byNode = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
          long s = System.nanoTime();
          expect(
              200,
              http.send(
                  "GET",
                  "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-" + (i % o.nodes()),
                  null,
                  null,
                  false));
          if (i >= 100) {
            byNode.add((System.nanoTime() - s) / 1e6);
          }
        }
        r.put("listOneNodesPodsMs", stats(byNode));
        log(o, "list one node's pods (spec.nodeName): %s ms", summary(byNode));

        // 4. get and merge-patch single pods, one at a time
        Random random = new Random(42);
        List<Double> gets = new ArrayList<>();
        List<Double> patches = new ArrayList<>();
        ThreadCpu c = ThreadCpu.now();
        r.put("getsStarted", Instant.now().toString());
        int singles = 3000;
        for (int i = 0; i < singles; i++) {
          int n = random.nextInt(o.pods());
          String path = "/api/v1/namespaces/ns-" + (n % 50) + "/pods/pod-" + n;
          long s = System.nanoTime();
          expect(200, http.send("GET", path, null, null, false));
          double g = (System.nanoTime() - s) / 1e6;
          s = System.nanoTime();
          expect(200, http.send("PATCH", path, MERGE, labelPatch(i), false));
          double p = (System.nanoTime() - s) / 1e6;
          if (i >= 1000) {
            gets.add(g);
            patches.add(p);
          }
        }
        ThreadCpu.Split singleCpu = ThreadCpu.now().since(c);
        r.put("getMs", stats(gets));
        r.put("patchMs", stats(patches));
        r.put("getPlusPatchServerCpuMs", round3(singleCpu.serverNanos() / 1e6 / singles));
        log(
            o,
            "get one pod: %s ms; merge-patch one pod: %s ms; server CPU per get+patch %.3f ms",
            summary(gets),
            summary(patches),
            singleCpu.serverNanos() / 1e6 / singles);
      }

      // 5. sustained writes from concurrent clients while the watchers receive every event
      writes(api, o, pool, r);

      pool.shutdownNow();
      r.put("heapEndMiB", heapAfterGcMiB());
      log(o, "heap after GC at the end (watch history included): %d MiB", r.get("heapEndMiB"));
      r.put("loadAverageAtEnd", loadAverage());
    }
    return r;
  }

  private static void writes(
      KubeApiServer api, Options o, ExecutorService pool, Map<String, Object> r) throws Exception {
    int port = api.port();
    String rv;
    try (RawHttp http = new RawHttp("127.0.0.1", port)) {
      String list =
          new String(
              expect(
                      200,
                      http.send("GET", "/api/v1/namespaces/ns-0/pods?limit=1", null, null, true))
                  .body(),
              StandardCharsets.UTF_8);
      int at = list.indexOf("\"resourceVersion\":\"") + 19;
      rv = list.substring(at, list.indexOf('"', at));
    }
    AtomicLong received = new AtomicLong();
    List<RawHttp> watches = new ArrayList<>();
    for (int w = 0; w < o.watchers(); w++) {
      RawHttp watch = new RawHttp("127.0.0.1", port);
      watches.add(watch);
      pool.submit(() -> watch.watch("/api/v1/pods?watch=true&resourceVersion=" + rv, received));
    }
    Thread.sleep(1000); // the watches are open
    AtomicLong written = new AtomicLong();
    AtomicLong counter = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<List<Double>> latencies = new ArrayList<>();
    long end = System.nanoTime() + o.writeSeconds() * 1_000_000_000L;
    r.put("writesStarted", Instant.now().toString());
    ThreadCpu c = ThreadCpu.now();
    long cpu0 = processCpuNanos();
    long s = System.nanoTime();
    List<Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < o.writers(); w++) {
      List<Double> mine = new ArrayList<>();
      latencies.add(mine);
      writers.add(
          pool.submit(
              () -> {
                try (RawHttp http = new RawHttp("127.0.0.1", port)) {
                  while (System.nanoTime() < end) {
                    long k = counter.getAndIncrement();
                    int n = (int) (k % o.pods());
                    long t = System.nanoTime();
                    RawHttp.Response resp =
                        http.send(
                            "PATCH",
                            "/api/v1/namespaces/ns-" + (n % 50) + "/pods/pod-" + n,
                            MERGE,
                            ("{\"metadata\":{\"annotations\":{\"w\":\"" + k + "\"}}}")
                                .getBytes(StandardCharsets.UTF_8),
                            false);
                    mine.add((System.nanoTime() - t) / 1e6);
                    if (resp.status() == 200) {
                      written.incrementAndGet();
                    } else {
                      failed.incrementAndGet();
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : writers) {
      f.get();
    }
    double writeSeconds = (System.nanoTime() - s) / 1e9;
    long expected = (long) o.watchers() * written.get();
    double lagSeconds = -1;
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (received.get() < expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    if (received.get() >= expected) {
      lagSeconds = (System.nanoTime() - s) / 1e9 - writeSeconds;
    }
    ThreadCpu.Split split = ThreadCpu.now().since(c);
    long processCpu = processCpuNanos() - cpu0;
    long n = Math.max(1, written.get());
    List<Double> all = new ArrayList<>();
    latencies.forEach(all::addAll);
    r.put("writers", o.writers());
    r.put("watchers", o.watchers());
    r.put("writeSeconds", round3(writeSeconds));
    r.put("writes", written.get());
    r.put("writesFailed", failed.get());
    r.put("writesPerSecond", Math.round(written.get() / writeSeconds));
    r.put("writeUnderLoadMs", stats(all));
    r.put("eventsDelivered", received.get());
    r.put("eventsExpected", expected);
    r.put("secondsToDeliverAfterLastWrite", round3(lagSeconds));
    r.put("serverCpuPerWriteMs", round3(split.serverNanos() / 1e6 / n));
    Map<String, Double> groups = new LinkedHashMap<>();
    split.serverByGroup().forEach((g, v) -> groups.put(g, round3(v / 1e6 / n)));
    r.put("serverCpuPerWriteByThreadMs", groups);
    r.put("clientCpuPerWriteMs", round3(split.clientNanos() / 1e6 / n));
    r.put("processCpuPerWriteMs", round3(processCpu / 1e6 / n));
    r.put("serverCpuWritesPerSecondOn2Cores", Math.round(2 * n / (split.serverNanos() / 1e9)));
    log(
        o,
        "%d writes in %.1f s from %d clients with %d watchers: %d writes/s (%d failed), write"
            + " latency %s ms; %d/%d events delivered, %.2f s after the last write; CPU per"
            + " write: server %.3f ms (%s), clients %.3f ms, process (incl. GC, JIT) %.3f ms; load average %s",
        written.get(),
        writeSeconds,
        o.writers(),
        o.watchers(),
        Math.round(written.get() / writeSeconds),
        failed.get(),
        summary(all),
        received.get(),
        expected,
        lagSeconds,
        split.serverNanos() / 1e6 / n,
        split.serverGroups((int) n),
        split.clientNanos() / 1e6 / n,
        processCpu / 1e6 / n,
        loadAverage());
    watches.forEach(RawHttp::close);
  }

  private static final String JSON = "application/json";
  private static final String MERGE = "application/merge-patch+json";

  private static RawHttp.Response expect(int status, RawHttp.Response r) {
    if (r.status() != status) {
      throw new IllegalStateException("expected " + status + ", got " + r.status());
    }
    return r;
  }

  private static byte[] labelPatch(int i) {
    return ("{\"metadata\":{\"labels\":{\"touched\":\"" + i + "\"}}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static long heapAfterGcMiB() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
  }

  private static void log(Options o, String format, Object... args) {
    (o.json() ? System.err : System.out).printf(format + "%n", args);
  }

  private static double loadAverage() {
    return round3(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /** CPU time of this whole process (all threads, GC and JIT included), in nanoseconds. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static Map<String, Double> stats(List<Double> samples) {
    List<Double> s = new ArrayList<>(samples);
    Collections.sort(s);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("median", round3(s.get(s.size() / 2)));
    m.put("p90", round3(s.get(s.size() * 9 / 10)));
    m.put("min", round3(s.get(0)));
    m.put("max", round3(s.get(s.size() - 1)));
    m.put("n", (double) s.size());
    return m;
  }

  private static String summary(List<Double> samples) {
    Map<String, Double> s = stats(samples);
    return String.format(
        "median %.2f (p90 %.2f, min %.2f, max %.2f, n %d)",
        s.get("median"), s.get("p90"), s.get("min"), s.get("max"), samples.size());
  }

  private static byte[] node(int n) {
    return ("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node-"
            + n
            + "\",\"labels\":{\"kubernetes.io/hostname\":\"node-"
            + n
            + "\",\"karpenter.sh/nodepool\":\"general\",\"topology.kubernetes.io/zone\":\"zone-"
            + (n % 3)
            + "\"}},\"spec\":{\"providerID\":\"sim://node-"
            + n
            + "\"},\"status\":{\"capacity\":{\"cpu\":\"16\",\"memory\":\"64Gi\",\"pods\":\"110\"},"
            + "\"allocatable\":{\"cpu\":\"15890m\",\"memory\":\"62Gi\",\"pods\":\"110\"},"
            + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] pod(int n, int nodes) {
    return ("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"pod-"
            + n
            + "\",\"labels\":{\"app\":\"app-"
            + (n % 100)
            + "\",\"pod-template-hash\":\"h"
            + (n % 100)
            + "\"},\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\","
            + "\"name\":\"rs-"
            + (n % 100)
            + "\",\"uid\":\"00000000-0000-0000-0000-"
            + String.format("%012d", n % 100)
            + "\",\"controller\":true}]},\"spec\":{\"nodeName\":\"node-"
            + (n % nodes)
            + "\",\"containers\":[{\"name\":\"app\",\"image\":\"registry.example.com/app:1.2.3\","
            + "\"resources\":{\"requests\":{\"cpu\":\"250m\",\"memory\":\"512Mi\"}},"
            + "\"env\":[{\"name\":\"MODE\",\"value\":\"production\"}]}],"
            + "\"tolerations\":[{\"key\":\"karpenter.sh/disrupted\",\"operator\":\"Exists\","
            + "\"effect\":\"NoSchedule\"}]}}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
