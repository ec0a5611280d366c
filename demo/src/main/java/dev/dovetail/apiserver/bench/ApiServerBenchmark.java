package dev.dovetail.apiserver.bench;

import dev.dovetail.apiserver.KubeApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load figures of the embedded API server (BENCHMARKS.md): stores PODS pods on NODES nodes over
 * HTTP, then measures listing all pods, single gets and patches, sustained writes with 20 watchers
 * and the heap held. Server and clients share one JVM (and the machine's cores).
 *
 * <p>{@code java -cp ... dev.dovetail.apiserver.bench.ApiServerBenchmark [PODS] [NODES] [WRITES]}
 */
public final class ApiServerBenchmark {
  private ApiServerBenchmark() {}

  public static void main(String[] args) throws Exception {
    int pods = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    int writes = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    try (KubeApiServer api = KubeApiServer.start()) {
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .executor(Executors.newFixedThreadPool(4))
              .build();
      String base = api.url().replaceAll("/$", "");
      ExecutorService load = Executors.newFixedThreadPool(8);
      long t0 = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        int n = i;
        done.add(load.submit(() -> post(http, base + "/api/v1/nodes", node(n))));
      }
      for (int i = 0; i < pods; i++) {
        int n = i;
        done.add(
            load.submit(
                () ->
                    post(
                        http,
                        base + "/api/v1/namespaces/ns-" + (n % 50) + "/pods",
                        pod(n, nodes))));
      }
      for (Future<?> f : done) {
        f.get();
      }
      double loadSeconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "stored %d pods and %d nodes in %.1f s (%.0f creates/s, 8 client threads)%n",
          api.count("", "pods"), api.count("", "nodes"), loadSeconds, (pods + nodes) / loadSeconds);

      List<Double> lists = new ArrayList<>();
      List<Double> listServerCpu = new ArrayList<>();
      List<Double> listClientCpu = new ArrayList<>();
      long bytes = 0;
      for (int i = 0; i < 7; i++) {
        long s = System.nanoTime();
        ThreadCpu c = ThreadCpu.now();
        bytes = drain(http, base + "/api/v1/pods");
        lists.add((System.nanoTime() - s) / 1e6);
        ThreadCpu.Split split = ThreadCpu.now().since(c);
        listServerCpu.add(split.serverNanos() / 1e6);
        listClientCpu.add(split.clientNanos() / 1e6);
      }
      System.out.printf(
          "list all pods (%d MB): wall %s ms; CPU per list: server threads %s ms, client threads"
              + " %s ms; %s%n",
          bytes / 1_000_000,
          summary(lists.subList(2, 7)),
          summary(listServerCpu.subList(2, 7)),
          summary(listClientCpu.subList(2, 7)),
          loadAverage());
      try (KubernetesClient client = api.client()) {
        List<Double> typed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          long s = System.nanoTime();
          client.pods().inAnyNamespace().list();
          typed.add((System.nanoTime() - s) / 1e6);
        }
        System.out.printf("list all pods with fabric8 (typed): %s ms%n", summary(typed));
        List<Double> byNode = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          long s = System.nanoTime();
          get(http, base + "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-" + (i % nodes));
          byNode.add((System.nanoTime() - s) / 1e6);
        }
        System.out.printf(
            "list pods of one node (spec.nodeName): %s ms%n", summary(byNode.subList(50, 200)));

        Random random = new Random(42);
        List<Double> gets = new ArrayList<>();
        List<Double> patches = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
          int n = random.nextInt(pods);
          String path = base + "/api/v1/namespaces/ns-" + (n % 50) + "/pods/pod-" + n;
          long s = System.nanoTime();
          get(http, path);
          gets.add((System.nanoTime() - s) / 1e6);
          s = System.nanoTime();
          patch(http, path, "{\"metadata\":{\"labels\":{\"touched\":\"" + i + "\"}}}");
          patches.add((System.nanoTime() - s) / 1e6);
        }
        System.out.printf(
            "get one pod: %s ms; merge-patch one pod: %s ms (over HTTP, 2000 each)%n",
            summary(gets.subList(500, 2000)), summary(patches.subList(500, 2000)));

        // 20 watchers as raw watch streams counting events (kubectl's transport), so the figure is
        // the server's: 20 fabric8 watchers in this JVM would spend more CPU decoding than it does
        AtomicLong received = new AtomicLong();
        String rv = client.pods().inNamespace("ns-0").list().getMetadata().getResourceVersion();
        List<java.io.InputStream> streams = new ArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(20);
        for (int w = 0; w < 20; w++) {
          HttpResponse<java.io.InputStream> r =
              http.send(
                  HttpRequest.newBuilder(
                          URI.create(base + "/api/v1/pods?watch=true&resourceVersion=" + rv))
                      .build(),
                  HttpResponse.BodyHandlers.ofInputStream());
          streams.add(r.body());
          readers.submit(
              () -> {
                byte[] buf = new byte[1 << 16];
                try (java.io.InputStream in = r.body()) {
                  int n;
                  while ((n = in.read(buf)) > 0) {
                    for (int i = 0; i < n; i++) {
                      if (buf[i] == '\n') {
                        received.incrementAndGet();
                      }
                    }
                  }
                } catch (java.io.IOException closed) {
                  // done
                }
                return null;
              });
        }
        long s = System.nanoTime();
        long writeCpu = cpuNanos();
        ThreadCpu writeStart = ThreadCpu.now();
        List<Future<?>> writing = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
          int n = i % pods;
          int k = i;
          writing.add(
              load.submit(
                  () ->
                      patch(
                          http,
                          base + "/api/v1/namespaces/ns-" + (n % 50) + "/pods/pod-" + n,
                          "{\"metadata\":{\"annotations\":{\"w\":\"" + k + "\"}}}")));
        }
        for (Future<?> f : writing) {
          f.get();
        }
        double writeSeconds = (System.nanoTime() - s) / 1e9;
        long expected = 20L * writes;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (received.get() < expected && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        double deliveredSeconds = (System.nanoTime() - s) / 1e9;
        writeCpu = cpuNanos() - writeCpu;
        ThreadCpu.Split writeSplit = ThreadCpu.now().since(writeStart);
        System.out.printf(
            "CPU per write delivered to 20 watchers: server threads %.3f ms (%.0f writes/s per"
                + " core, %.0f on 2 cores), clients (8 writers + 20 readers) %.3f ms; server by"
                + " thread group %s; %s%n",
            writeSplit.serverNanos() / 1e6 / writes,
            writes / (writeSplit.serverNanos() / 1e9),
            2 * writes / (writeSplit.serverNanos() / 1e9),
            writeSplit.clientNanos() / 1e6 / writes,
            writeSplit.serverGroups(writes),
            loadAverage());
        // CPU per write is the figure the machine's load inflates least: wall time on a shared
        // box measures the neighbours as much as this server
        System.out.printf(
            "CPU of this process per write delivered to 20 watchers (server + clients): %.3f ms,"
                + " i.e. %.0f writes/s per fully available core%n",
            writeCpu / 1e6 / writes, writes / (writeCpu / 1e9));
        System.out.printf(
            "%d patches from 8 threads with 20 watchers: %.0f writes/s accepted; %d/%d events delivered to the watchers in %.1f s (%.0f writes/s end to end)%n",
            writes,
            writes / writeSeconds,
            received.get(),
            expected,
            deliveredSeconds,
            writes / deliveredSeconds);
        readers.shutdownNow();
      }
      load.shutdownNow();
      for (int i = 0; i < 3; i++) {
        System.gc();
        Thread.sleep(200);
      }
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      System.out.printf(
          "heap used after GC with everything stored: %d MB (includes the watch history)%n",
          heap / (1024 * 1024));
    }
    System.exit(0);
  }

  private static String loadAverage() {
    return String.format(
        "load average %.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /** CPU time of this whole process (all threads), in nanoseconds. */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String summary(List<Double> samples) {
    List<Double> s = new ArrayList<>(samples);
    Collections.sort(s);
    return String.format(
        "median %.2f (p10 %.2f, p90 %.2f, min %.2f, max %.2f)",
        s.get(s.size() / 2),
        s.get(s.size() / 10),
        s.get(s.size() * 9 / 10),
        s.get(0),
        s.get(s.size() - 1));
  }

  private static String node(int n) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node-"
        + n
        + "\",\"labels\":{\"kubernetes.io/hostname\":\"node-"
        + n
        + "\",\"karpenter.sh/nodepool\":\"general\",\"topology.kubernetes.io/zone\":\"zone-"
        + (n % 3)
        + "\"}},\"spec\":{\"providerID\":\"sim://node-"
        + n
        + "\"},\"status\":{\"capacity\":{\"cpu\":\"16\",\"memory\":\"64Gi\",\"pods\":\"110\"},"
        + "\"allocatable\":{\"cpu\":\"15890m\",\"memory\":\"62Gi\",\"pods\":\"110\"},"
        + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}";
  }

  private static String pod(int n, int nodes) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"pod-"
        + n
        + "\",\"labels\":{\"app\":\"app-"
        + (n % 100)
        + "\",\"pod-template-hash\":\"h"
        + (n % 100)
        + "\"},\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"rs-"
        + (n % 100)
        + "\",\"uid\":\"00000000-0000-0000-0000-"
        + String.format("%012d", n % 100)
        + "\",\"controller\":true}]},\"spec\":{\"nodeName\":\"node-"
        + (n % nodes)
        + "\",\"containers\":[{\"name\":\"app\",\"image\":\"registry.example.com/app:1.2.3\","
        + "\"resources\":{\"requests\":{\"cpu\":\"250m\",\"memory\":\"512Mi\"}},"
        + "\"env\":[{\"name\":\"MODE\",\"value\":\"production\"}]}],"
        + "\"tolerations\":[{\"key\":\"karpenter.sh/disrupted\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]}}";
  }

  private static void post(HttpClient http, String url, String body) {
    send(
        http,
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static void patch(HttpClient http, String url, String body) {
    send(
        http,
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/merge-patch+json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** Reads a response to its end without decoding it; returns its length. */
  private static long drain(HttpClient http, String url) {
    try {
      HttpResponse<java.io.InputStream> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      try (java.io.InputStream in = r.body()) {
        return in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String get(HttpClient http, String url) {
    return send(http, HttpRequest.newBuilder(URI.create(url)).GET().build());
  }

  private static String send(HttpClient http, HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() >= 300) {
        throw new IllegalStateException(request.uri() + " -> " + r.statusCode() + " " + r.body());
      }
      return r.body();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
