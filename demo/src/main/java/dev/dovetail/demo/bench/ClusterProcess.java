package dev.dovetail.demo.bench;

import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apiserver.KubeApiServer;
import dev.dovetail.demo.Binder;
import dev.dovetail.demo.DemoCluster;
import dev.dovetail.demo.DemoNodePools;
import dev.dovetail.demo.Rescheduler;
import dev.dovetail.demo.Workload;
import dev.dovetail.operator.Logging;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * The rest of the cluster for {@code bench provisioning --cluster-process}, in its own JVM as a
 * real cluster's API server, kube-scheduler and ReplicaSet controller are other processes than the
 * autoprovisioner: the embedded API server on a free port, the stand-in scheduler ({@link Binder})
 * on its own informer cache, the stand-in ReplicaSet controller ({@link Rescheduler}), the demo's
 * NodePools and the burst of pods. The measured JVM then holds only the controllers.
 *
 * <p>Talks to {@link ClusterChild} by lines: it says {@code url <url>} once the server listens,
 * waits for {@code go <group> <kind> <name>} (the NodeClass the operator's side applied), applies
 * the NodePools, says {@code burst} and creates the pods, says {@code created}, and keeps serving
 * until its stdin ends: the parent closing it, or dying, ends this process too.
 *
 * <p>Arguments: pods, seed, creating threads, log level, arrival ({@code by-kind} or {@code mixed};
 * by kind when absent).
 */
public final class ClusterProcess {
  /** Marks this process's protocol lines on stdout (anything else there is passed on as is). */
  static final String PREFIX = "dovetail-cluster: ";

  private ClusterProcess() {}

  public static void main(String[] args) throws Exception {
    int pods = Integer.parseInt(args[0]);
    long seed = Long.parseLong(args[1]);
    int threads = Integer.parseInt(args[2]);
    Logging.configure(args.length > 3 ? args[3] : "warn", "text");
    Workload.Arrival arrival =
        args.length > 4 ? Workload.Arrival.parse(args[4]) : Workload.Arrival.BY_KIND;
    CompletableFuture<String> go = new CompletableFuture<>();
    Thread parent = new Thread(() -> listen(go), "cluster-process-stdin");
    parent.setDaemon(true);
    parent.start();
    try (KubeApiServer api = KubeApiServer.start();
        KubernetesClient standIn = api.client();
        KubernetesClient informers = api.client()) {
      say("url " + api.url());
      NodeClassReference nodeClass = nodeClass(go.get());
      for (NodePool pool : DemoNodePools.all(nodeClass, pods)) {
        DemoCluster.apply(standIn, pool);
      }
      // The scheduler's own cache, as kube-scheduler has its own: it does not see the operator's
      // nominations (which upstream Karpenter only announces in events), so it places each pod by
      // MostAllocated alone.
      try (ClusterState state = new ClusterState(informers, Clock.systemUTC()).start();
          Binder binder = new Binder(standIn, state, Clock.systemUTC()).start()) {
        Iterable<Pod> workload = Workload.stream(pods, seed, arrival);
        try (Rescheduler rescheduler = new Rescheduler(standIn, workload).start()) {
          say("burst");
          DemoCluster.submit(standIn, workload, threads);
          say("created");
          parent.join(); // until the parent closes stdin
        }
      }
    }
    System.exit(0);
  }

  /**
   * Reads the parent's lines: the first {@code go} completes {@code go}; the end of input (the
   * parent closed it or died) ends the process, whatever it was doing.
   */
  private static void listen(CompletableFuture<String> go) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("go ")) {
          go.complete(line);
        }
      }
    } catch (IOException e) {
      // as the end of input
    }
    Runtime.getRuntime().halt(0);
  }

  /** {@code go <group> <kind> <name>} as a NodeClass reference. */
  static NodeClassReference nodeClass(String go) {
    String[] words = go.trim().split(" ");
    if (words.length != 4 || !words[0].equals("go")) {
      throw new IllegalArgumentException("expected 'go <group> <kind> <name>', got '" + go + "'");
    }
    return new NodeClassReference(words[1], words[2], words[3]);
  }

  /** The line {@link ClusterProcess} reads as {@code ref}. */
  static String go(NodeClassReference ref) {
    return "go " + ref.getGroup() + " " + ref.getKind() + " " + ref.getName();
  }

  private static void say(String line) {
    System.out.println(PREFIX + line);
    System.out.flush();
  }
}
