package dev.dovetail.cli;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.metrics.HttpEndpoints;
import dev.dovetail.metrics.MeteredCloudProvider;
import dev.dovetail.metrics.Metrics;
import dev.dovetail.operator.DovetailOperator;
import dev.dovetail.operator.FeatureGates;
import dev.dovetail.operator.KubeClientRate;
import dev.dovetail.operator.KubernetesVersion;
import dev.dovetail.operator.LeaderElection;
import dev.dovetail.operator.Logging;
import dev.dovetail.operator.Redaction;
import dev.dovetail.operator.SchedulingPolicies;
import dev.dovetail.operator.Settings;
import dev.dovetail.plugins.LoadedPlugins;
import dev.dovetail.plugins.LoadedProvider;
import dev.dovetail.plugins.PluginLoader;
import dev.dovetail.plugins.PluginsDirectory;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dovetail run}: the controller against a real cluster. Every option also reads an
 * environment variable (the Helm chart sets those), as Karpenter's settings do.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs Dovetail's controllers against a Kubernetes cluster (kubeconfig or in-cluster).",
      "Every option can also be set by the environment variable named in its description."
    })
public final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(
      names = "--kubeconfig",
      defaultValue = "${env:KUBECONFIG}",
      description =
          "Kubeconfig file; default in-cluster config, else ~/.kube/config. Env: KUBECONFIG.")
  Path kubeconfig;

  @Option(
      names = "--provider",
      defaultValue = "${env:DOVETAIL_PROVIDER}",
      required = true,
      description =
          "Provider plugin to run (a plugin's provider name or id), e.g. aws, azure, gcp,"
              + " clusterapi, simulated or a third-party plugin's. Env: DOVETAIL_PROVIDER.")
  String provider;

  @Option(
      names = "--plugins-dir",
      description =
          "Directory of provider plugins (repeatable). Env: "
              + PluginsDirectory.ENV
              + " (a :-separated list)"
              + "; default plugins/ next to the distribution.")
  java.util.List<Path> pluginsDirs = new java.util.ArrayList<>();

  @Option(
      names = "--cluster-name",
      defaultValue = "${env:CLUSTER_NAME}",
      description =
          "Cluster name, used to tag cloud resources; required except for the simulated provider"
              + " (which defaults to dovetail). Env: CLUSTER_NAME.")
  String clusterName;

  @Option(
      names = "--cluster-endpoint",
      defaultValue = "${env:CLUSTER_ENDPOINT}",
      description =
          "API server endpoint new nodes join (e.g. AL2023/Bottlerocket user data); handed to the"
              + " provider as setting clusterEndpoint. Env: CLUSTER_ENDPOINT.")
  String clusterEndpoint;

  @Option(
      names = "--interruption-queue",
      defaultValue = "${env:INTERRUPTION_QUEUE}",
      description =
          "Queue of interruption events (AWS: the SQS queue name); handed to the provider as"
              + " setting interruptionQueue. Empty: interruption handling off. Env:"
              + " INTERRUPTION_QUEUE.")
  String interruptionQueue;

  @Option(
      names = "--feature-gates",
      defaultValue = "${env:FEATURE_GATES}",
      paramLabel = "NAME=BOOL,...",
      description = {
        "Karpenter's feature gates over their defaults (NodeRepair=false, ReservedCapacity=true,"
            + " SpotToSpotConsolidation=false, NodeOverlay=false, StaticCapacity=false,"
            + " CapacityBuffer=false). NodeRepair starts the node repair controller;"
            + " SpotToSpotConsolidation lets consolidation replace spot with cheaper spot."
            + " NodeOverlay applies NodeOverlays to prices and capacity; StaticCapacity keeps"
            + " NodePools with spec.replicas at exactly that many NodeClaims; CapacityBuffer keeps"
            + " room for CapacityBuffers. ReservedCapacity is accepted and stored; reserved"
            + " offerings are always considered. An unknown gate is"
            + " refused. Env: FEATURE_GATES."
      })
  String featureGates;

  @Option(
      names = "--batch-idle-duration",
      defaultValue = "${env:BATCH_IDLE_DURATION:-1s}",
      description =
          "Solve after no new pending pod for this long (default ${DEFAULT-VALUE}). Env: BATCH_IDLE_DURATION.")
  String batchIdle;

  @Option(
      names = "--batch-max-duration",
      defaultValue = "${env:BATCH_MAX_DURATION:-10s}",
      description =
          "Solve at most this long after the first pending pod (default ${DEFAULT-VALUE}). Env: BATCH_MAX_DURATION.")
  String batchMax;

  @Option(
      names = "--kube-client-qps",
      defaultValue = "${env:KUBE_CLIENT_QPS:-200}",
      description =
          "NodeClaim creates per second once the burst is spent (default ${DEFAULT-VALUE})."
              + " Upstream's limiter paces every request of its client; Dovetail paces its bulk"
              + " writes, a provisioning pass's NodeClaim creates. Env: KUBE_CLIENT_QPS.")
  String kubeClientQps;

  @Option(
      names = "--kube-client-burst",
      defaultValue = "${env:KUBE_CLIENT_BURST:-300}",
      description =
          "NodeClaim creates that may go at once after a quiet spell (default ${DEFAULT-VALUE})."
              + " Env: KUBE_CLIENT_BURST.")
  String kubeClientBurst;

  @Option(
      names = "--preference-policy",
      defaultValue = "${env:PREFERENCE_POLICY:-Respect}",
      description =
          "How preferred node/pod affinities and ScheduleAnyway topology spreads count when"
              + " planning nodes: Respect or Ignore (default ${DEFAULT-VALUE}). Env:"
              + " PREFERENCE_POLICY.")
  String preferencePolicy;

  @Option(
      names = "--min-values-policy",
      defaultValue = "${env:MIN_VALUES_POLICY:-Strict}",
      description =
          "Strict: a NodeClaim whose instance types cannot meet a NodePool's minValues is not"
              + " launched; BestEffort: it is launched with minValues lowered to what the types"
              + " reach and annotated karpenter.sh/nodeclaim-min-values-relaxed=true (default"
              + " ${DEFAULT-VALUE}). Env: MIN_VALUES_POLICY.")
  String minValuesPolicy;

  @Option(
      names = "--provider-setting",
      paramLabel = "KEY=VALUE",
      description =
          "A provider setting (repeatable), e.g. region=us-east-1. Env: DOVETAIL_PROVIDER_<KEY>.")
  Map<String, String> providerSettings = new HashMap<>();

  @Option(
      names = "--metrics-port",
      defaultValue = "${env:METRICS_PORT:-8080}",
      description = "Port of /metrics (default ${DEFAULT-VALUE}). Env: METRICS_PORT.")
  int metricsPort;

  @Option(
      names = "--health-probe-port",
      defaultValue = "${env:HEALTH_PROBE_PORT:-8081}",
      description =
          "Port of /healthz and /readyz (default ${DEFAULT-VALUE}). Env: HEALTH_PROBE_PORT.")
  int healthPort;

  @Option(
      names = "--leader-elect",
      defaultValue = "${env:LEADER_ELECT:-true}",
      arity = "1",
      description =
          "Use a Lease so only one replica acts (default ${DEFAULT-VALUE}). Env: LEADER_ELECT.")
  boolean leaderElect;

  @Option(
      names = "--leader-election-namespace",
      defaultValue = "${env:LEADER_ELECTION_NAMESPACE}",
      description =
          "Namespace of the Lease; default the pod's namespace. Env: LEADER_ELECTION_NAMESPACE.")
  String leaderElectionNamespace;

  @Option(
      names = "--leader-election-name",
      defaultValue = "${env:LEADER_ELECTION_NAME:-dovetail-leader-election}",
      description = "Name of the Lease (default ${DEFAULT-VALUE}). Env: LEADER_ELECTION_NAME.")
  String leaderElectionName;

  @Option(
      names = "--log-level",
      defaultValue = "${env:LOG_LEVEL:-info}",
      description = "debug, info, warn or error (default ${DEFAULT-VALUE}). Env: LOG_LEVEL.")
  String logLevel;

  @Option(
      names = "--log-format",
      defaultValue = "${env:LOG_FORMAT:-json}",
      description = "json or text (default ${DEFAULT-VALUE}). Env: LOG_FORMAT.")
  String logFormat;

  /** Every setting validated and resolved, before anything starts. */
  Settings settings() {
    if (logFormat == null || !logFormat.matches("json|text")) {
      throw new IllegalArgumentException(
          "--log-format (LOG_FORMAT) must be json or text, got '" + logFormat + "'");
    }
    if (logLevel == null || !logLevel.toLowerCase(Locale.ROOT).matches("debug|info|warn|error")) {
      throw new IllegalArgumentException(
          "--log-level (LOG_LEVEL) must be debug, info, warn or error, got '" + logLevel + "'");
    }
    String cluster = clusterName == null ? "" : clusterName.trim();
    if (cluster.isEmpty()) {
      if (!"simulated".equals(provider)) {
        throw new IllegalArgumentException(
            "--cluster-name (CLUSTER_NAME) is required for provider " + provider);
      }
      cluster = "dovetail";
    }
    return Settings.defaults()
        .withClusterName(cluster)
        .withBatch(
            CliDurations.parse("--batch-idle-duration (BATCH_IDLE_DURATION)", batchIdle),
            CliDurations.parse("--batch-max-duration (BATCH_MAX_DURATION)", batchMax))
        .withFeatureGates(FeatureGates.parse(featureGates))
        .withPolicies(SchedulingPolicies.parse(preferencePolicy, minValuesPolicy))
        .withKubeClientRate(KubeClientRate.parse(kubeClientQps, kubeClientBurst));
  }

  /**
   * The provider's settings: DOVETAIL_PROVIDER_* variables, then the global settings a provider
   * reads under Karpenter's names (clusterEndpoint, interruptionQueue), then --provider-setting.
   */
  Map<String, String> providerSettings(Map<String, String> env) {
    Map<String, String> out = providerSettingsFromEnv(env);
    if (clusterEndpoint != null && !clusterEndpoint.isBlank()) {
      out.put("clusterEndpoint", clusterEndpoint.trim());
    }
    if (interruptionQueue != null && !interruptionQueue.isBlank()) {
      out.put("interruptionQueue", interruptionQueue.trim());
    }
    out.putAll(providerSettings);
    return out;
  }

  // ---- autoscaling.karpenter.sh/v1alpha1 (issue 23)
  @Option(
      names = "--autoscaling",
      defaultValue = "${env:AUTOSCALING_ENABLED:-false}",
      description =
          "Run the metrics-driven autoscaling controllers (HorizontalAutoscaler, MetricsProducer,"
              + " ScalableNodeGroup; default ${DEFAULT-VALUE}). Env: AUTOSCALING_ENABLED.")
  boolean autoscaling;

  @Option(
      names = "--prometheus-uri",
      defaultValue = "${env:PROMETHEUS_URI:-}",
      description =
          "Prometheus HTTP API HorizontalAutoscalers query, e.g."
              + " http://prometheus-server.monitoring:9090. Env: PROMETHEUS_URI.")
  String prometheusUri;

  // ----

  @Override
  public Integer call() throws Exception {
    Settings settings = settings();
    Logging.configure(logLevel, logFormat);
    Map<String, String> providerConfig = providerSettings(System.getenv());
    Config config = ClusterConnection.config(kubeconfig);
    Metrics metrics = new Metrics();
    try (LoadedPlugins loaded = PluginLoader.forDirectories(pluginsDirs).load();
        KubernetesClient client = dev.dovetail.kube.CanonicalStrings.client(config)) {
      // A bad file elsewhere on the plugin path is skipped; only the selected provider must load.
      loaded.problems().forEach(p -> LOG.warn("plugin {}", p.describe()));
      LoadedProvider chosen = loaded.select(provider);
      LOG.info(
          "provider {} loaded from plugin {} {} ({})",
          chosen.name(),
          chosen.pluginId(),
          chosen.version(),
          chosen.source());
      ClusterConnection.check(config);
      LOG.info("connected to the Kubernetes API server at {}", client.getMasterUrl());
      CloudProvider selected = chosen.provider().orElseThrow();
      KubernetesVersion.fromApiServer(client)
          .ifPresent(v -> providerConfig.putIfAbsent(KubernetesVersion.SETTING, v));
      LOG.info(
          "settings: clusterName={} batchIdleDuration={} batchMaxDuration={} featureGates={} {}"
              + " {} logLevel={} logFormat={} metricsPort={} healthProbePort={} leaderElect={}"
              + " leaderElectionNamespace={} leaderElectionName={} providerSettings={}",
          settings.clusterName(),
          settings.batchIdleDuration(),
          settings.batchMaxDuration(),
          settings.featureGates(),
          settings.policies(),
          settings.kubeClientRate(),
          logLevel,
          logFormat,
          metricsPort,
          healthPort,
          leaderElect,
          leaderElectionNamespace,
          leaderElectionName,
          Redaction.redact(providerConfig));
      CloudProvider metered = new MeteredCloudProvider(selected, metrics.registry());
      DovetailOperator operator =
          new DovetailOperator(
              client,
              metered,
              Clock.systemUTC(),
              settings,
              providerConfig,
              new DovetailOperator.Listeners(metrics, metrics, e -> {}));
      if (autoscaling) { // issue 23: the raw provider, so its optional extensions are visible
        operator.withAutoscaling(
            new dev.dovetail.controllers.autoscaling.AutoscalingControllers(
                dev.dovetail.controllers.autoscaling.AutoscalingControllers.prometheusUri(
                    prometheusUri),
                selected,
                selected.name(),
                metrics.registry()));
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "shutdown"));
      try (HttpEndpoints endpoints =
          HttpEndpoints.start(
              metrics.registry(),
              metricsPort,
              healthPort,
              () -> operator.liveness().alive(),
              () -> operator.state() != null && operator.state().synced())) {
        if (leaderElect) {
          String namespace =
              leaderElectionNamespace != null
                  ? leaderElectionNamespace
                  : client.getNamespace() == null ? "default" : client.getNamespace();
          LeaderElection.run(client, namespace, leaderElectionName, operator, metrics, stopped);
        } else {
          operator.start();
          metrics.startRefreshing(operator);
          stopped.await();
        }
      } finally {
        operator.close();
      }
    }
    return 0;
  }

  /** {@code DOVETAIL_PROVIDER_SUBSCRIPTION_ID=x} becomes setting {@code subscriptionId=x}. */
  static Map<String, String> providerSettingsFromEnv(Map<String, String> env) {
    Map<String, String> out = new HashMap<>();
    String prefix = "DOVETAIL_PROVIDER_";
    env.forEach(
        (k, v) -> {
          if (k.startsWith(prefix) && k.length() > prefix.length()) {
            String[] parts = k.substring(prefix.length()).toLowerCase(Locale.ROOT).split("_");
            StringBuilder key = new StringBuilder(parts[0]);
            for (int i = 1; i < parts.length; i++) {
              if (!parts[i].isEmpty()) {
                key.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
              }
            }
            out.put(key.toString(), v);
          }
        });
    return out;
  }
}
