package dev.dovetail.demo.bench;

import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apiserver.KubeApiServer;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.demo.DemoCluster;
import dev.dovetail.kube.CanonicalStrings;
import dev.dovetail.metrics.MeteredCloudProvider;
import dev.dovetail.metrics.Metrics;
import dev.dovetail.operator.DovetailOperator;
import dev.dovetail.operator.Settings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What both embedded-API-server benchmarks run on: the embedded API server, the real operator on a
 * provider at zero launch latency with its metrics refreshing, the provider's NodeClass applied,
 * and per-thread CPU accounting that tells the controllers from the API server and from the
 * benchmark's own stand-in client. Everything is closed when the benchmark's body returns.
 */
final class BenchCluster {
  private BenchCluster() {}

  /** The running cluster a benchmark's body sees. */
  record Running(
      KubernetesClient standIn,
      DovetailOperator dovetail,
      ThreadCpu cpu,
      NodeClassReference nodeClass,
      Metrics metrics,
      ProvisionedClaims provisioned) {}

  /** A benchmark's body: what it does on the running cluster and what it measured. */
  interface Body<T> {
    T run(Running cluster) throws InterruptedException;
  }

  /**
   * Starts the cluster, runs {@code body} on it and closes it.
   *
   * @param settings the operator's settings
   * @param providerSettings the provider's settings beyond {@code launchLatency=0ms}
   */
  static <T> T run(
      Settings settings, CloudProvider provider, Map<String, String> providerSettings, Body<T> body)
      throws InterruptedException {
    try (KubeApiServer api = KubeApiServer.start()) {
      return onServer(
          api.url(),
          standIn -> DemoCluster.registerNodeClasses(api, provider),
          settings,
          provider,
          providerSettings,
          body);
    }
  }

  /**
   * The same on an API server in another process ({@code bench provisioning --cluster-process}):
   * the provider's NodeClass kinds are registered over HTTP.
   */
  static <T> T runOn(
      String url,
      Settings settings,
      CloudProvider provider,
      Map<String, String> providerSettings,
      Body<T> body)
      throws InterruptedException {
    return onServer(
        url,
        standIn -> DemoCluster.registerNodeClasses(standIn, provider),
        settings,
        provider,
        providerSettings,
        body);
  }

  /**
   * Runs the operator on the server at {@code url}; {@code registerNodeClasses} is given the
   * stand-in's client before the operator starts (its NodeClass status controller watches those
   * kinds). The operator's client is made as {@code dovetail run} makes it ({@link
   * CanonicalStrings}).
   */
  private static <T> T onServer(
      String url,
      Consumer<KubernetesClient> registerNodeClasses,
      Settings operatorSettings,
      CloudProvider provider,
      Map<String, String> providerSettings,
      Body<T> body)
      throws InterruptedException {
    try (KubernetesClient standIn = KubeApiServer.clientFor(url)) {
      // The stand-in's own HTTP client, in use before the operator's exists: its JDK HTTP threads
      // can then be told from the controllers'.
      for (int i = 0; i < 3; i++) {
        standIn.namespaces().list();
      }
      Set<String> standInHttp = ThreadCpu.httpClientIds();
      try (ThreadCpu cpu = new ThreadCpu(name -> ThreadCpu.byName(name, standInHttp));
          KubernetesClient client = CanonicalStrings.client(KubeApiServer.configFor(url))) {
        registerNodeClasses.accept(standIn);
        Map<String, String> settings = new HashMap<>(providerSettings);
        settings.put("launchLatency", "0ms");
        Metrics metrics = new Metrics();
        ProvisionedClaims provisioned = new ProvisionedClaims(metrics);
        try (DovetailOperator dovetail =
            new DovetailOperator(
                    client,
                    new MeteredCloudProvider(provider, metrics.registry()),
                    Clock.systemUTC(),
                    operatorSettings,
                    settings,
                    new DovetailOperator.Listeners(provisioned, metrics, e -> {}))
                .start()) {
          metrics.startRefreshing(dovetail);
          NodeClassReference nodeClass = DemoCluster.applyNodeClass(standIn, provider);
          return body.run(new Running(standIn, dovetail, cpu, nodeClass, metrics, provisioned));
        }
      }
    }
  }
}
