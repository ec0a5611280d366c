package dev.dovetail.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.dovetail.apiserver.KubeApiServer;
import dev.dovetail.cli.RunCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The chart-to-process contract: the chart is rendered with the real Helm engine, the controller
 * Deployment's command, arguments and environment are taken exactly as rendered, and the
 * distribution's {@code bin/dovetail} is started with them against an embedded API server. Each
 * rendered setting must take effect in the running process, and every environment variable the
 * chart renders must be read by some code ({@link #READERS}, checked against {@code run}'s own
 * options), so a setting the chart offers but nothing reads fails here.
 */
class ChartContractIT {
  static final String NAMESPACE = "dovetail-system";
  private static final Pattern DOCUMENT = Pattern.compile("(?m)^---\\s*$");

  /**
   * Every environment variable the chart renders, and what reads it. Entries starting with {@code
   * run} name an option of {@code dovetail run} whose default comes from that variable (verified
   * below against the command's model, not trusted).
   */
  static final Map<String, String> READERS =
      Map.ofEntries(
          Map.entry("CLUSTER_NAME", "run --cluster-name"),
          Map.entry("CLUSTER_ENDPOINT", "run --cluster-endpoint"),
          Map.entry("INTERRUPTION_QUEUE", "run --interruption-queue"),
          Map.entry("FEATURE_GATES", "run --feature-gates"),
          Map.entry("BATCH_MAX_DURATION", "run --batch-max-duration"),
          Map.entry("BATCH_IDLE_DURATION", "run --batch-idle-duration"),
          Map.entry("PREFERENCE_POLICY", "run --preference-policy"),
          Map.entry("MIN_VALUES_POLICY", "run --min-values-policy"),
          Map.entry("KUBE_CLIENT_QPS", "run --kube-client-qps"),
          Map.entry("KUBE_CLIENT_BURST", "run --kube-client-burst"),
          Map.entry("LOG_LEVEL", "run --log-level"),
          Map.entry("LOG_FORMAT", "run --log-format"),
          Map.entry("METRICS_PORT", "run --metrics-port"),
          Map.entry("HEALTH_PROBE_PORT", "run --health-probe-port"),
          Map.entry("LEADER_ELECT", "run --leader-elect"),
          Map.entry("LEADER_ELECTION_NAMESPACE", "run --leader-election-namespace"),
          Map.entry("POD_NAME", "LeaderElection.identity (the Lease holder)"),
          Map.entry("JAVA_TOOL_OPTIONS", "the JVM"));

  /** Provider settings: DOVETAIL_PROVIDER_<KEY>, read by RunCommand.providerSettingsFromEnv. */
  static final String PROVIDER_PREFIX = "DOVETAIL_PROVIDER_";

  @TempDir Path tmp;
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void everyEnvironmentVariableTheChartCanRenderIsReadBySomeCode() {
    Map<String, String> runEnv = runOptionEnvironment();
    for (Map.Entry<String, String> e : READERS.entrySet()) {
      if (e.getValue().startsWith("run ")) {
        String option = e.getValue().substring(4);
        assertThat(runEnv)
            .as("run option reading %s", e.getKey())
            .containsEntry(e.getKey(), option);
      }
    }
    for (String provider : List.of("simulated", "aws", "azure", "gcp", "clusterapi")) {
      Container c = controller(render(provider, contractValues(provider, 8080, 8081)));
      for (EnvVar v : c.getEnv()) {
        assertThat(READERS.containsKey(v.getName()) || v.getName().startsWith(PROVIDER_PREFIX))
            .as("provider %s renders %s, which no code reads", provider, v.getName())
            .isTrue();
      }
    }
  }

  @Test
  void theRenderedSimulatedDeploymentRunsWithEverySettingInEffect() throws Exception {
    Path dist = Path.of(System.getProperty("dovetail.dist", "target/dovetail")).toAbsolutePath();
    int metricsPort = freePort();
    int healthPort = freePort();
    Container c =
        controller(render("simulated", contractValues("simulated", metricsPort, healthPort)));

    try (KubeApiServer api = KubeApiServer.start();
        KubernetesClient client = api.client()) {
      // The simulated provider's NodeClass kind, as its users install it (the chart ships only the
      // real clouds' NodeClass CRDs); the operator watches it from the start.
      api.registerCustomResource(
          dev.dovetail.plugins.simulated.KWOKNodeClass.GROUP,
          dev.dovetail.plugins.simulated.KWOKNodeClass.VERSION,
          "KWOKNodeClass",
          io.fabric8.kubernetes.api.model.HasMetadata.getPlural(
              dev.dovetail.plugins.simulated.KWOKNodeClass.class),
          false);
      Path kubeconfig = tmp.resolve("kubeconfig");
      Files.writeString(kubeconfig, kubeconfig(api.url()));
      // what the cluster gives a pod: an API server (here through a kubeconfig) and a Java
      try (RenderedController process =
          RenderedController.start(
              dist,
              c,
              tmp,
              k -> READERS.containsKey(k) || k.startsWith("DOVETAIL_"),
              Map.of("KUBECONFIG", kubeconfig.toString()))) {
        // ports (the rendered METRICS_PORT / HEALTH_PROBE_PORT), leader election in the release
        // namespace (LEADER_ELECT, LEADER_ELECTION_NAMESPACE) held by this pod (POD_NAME)
        process.awaitServing(client, healthPort, metricsPort);

        // LOG_FORMAT=json: every log line of the process is a JSON object
        List<String> lines = process.logLines();
        for (String line : lines) {
          if (line.startsWith("Picked up JAVA_TOOL_OPTIONS")) {
            continue; // the JVM's own note that it read JAVA_TOOL_OPTIONS
          }
          assertThat(json.readTree(line).isObject()).as("log line %s", line).isTrue();
        }
        assertThat(lines).anyMatch(l -> l.startsWith("Picked up JAVA_TOOL_OPTIONS"));
        // LOG_LEVEL=debug: debug lines appear
        assertThat(levels(lines)).contains("DEBUG");

        // every contract value in the settings the process logs, the gates where they live
        process.assertContractSettings(metricsPort, healthPort);
      }
    }
  }

  @Test
  void aBadRenderedSettingStopsTheProcessNamingIt() throws Exception {
    Path dist = Path.of(System.getProperty("dovetail.dist", "target/dovetail")).toAbsolutePath();
    Map<String, Object> values = contractValues("simulated", freePort(), freePort());
    values.put("settings.featureGates.drift", "true"); // the schema takes any gate name
    Container c = controller(render("simulated", values));
    List<String> command = new ArrayList<>();
    command.add(dist.resolve("bin/dovetail").toString());
    c.getArgs().forEach(a -> command.add(a.replace("/opt/dovetail/", dist + "/")));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    for (EnvVar v : c.getEnv()) {
      pb.environment().put(v.getName(), value(v));
    }
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).isNotZero();
    assertThat(out).contains("unknown feature gate 'Drift'");
  }

  // ------------------------------------------------------------------ helpers

  /** The values a user would set: every setting away from its default, so an effect is visible. */
  static Map<String, Object> contractValues(String provider, int metricsPort, int healthPort) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("provider", provider);
    v.put("settings.clusterName", "contract");
    v.put("settings.clusterEndpoint", "https://contract.example:443");
    v.put("settings.interruptionQueue", "contract-queue");
    v.put("settings.batchIdleDuration", "300ms");
    v.put("settings.batchMaxDuration", "3s");
    v.put("settings.preferencePolicy", "Ignore");
    v.put("settings.minValuesPolicy", "BestEffort");
    v.put("settings.kubeClientQPS", "450");
    v.put("settings.kubeClientBurst", "650");
    v.put("settings.featureGates.nodeRepair", "true");
    v.put("settings.featureGates.spotToSpotConsolidation", "true");
    v.put("settings.featureGates.reservedCapacity", "false");
    v.put("logLevel", "debug");
    v.put("logFormat", "json");
    v.put("metrics.port", String.valueOf(metricsPort));
    v.put("healthProbe.port", String.valueOf(healthPort));
    v.put("leaderElection.enabled", "true");
    switch (provider) {
      case "aws" -> v.put("settings.aws.region", "eu-west-1");
      case "azure" -> {
        v.put("settings.azure.subscriptionID", "00000000-0000-0000-0000-000000000000");
        v.put("settings.azure.resourceGroup", "rg");
        v.put("settings.azure.nodeResourceGroup", "mc-rg");
        v.put("settings.azure.location", "westeurope");
      }
      case "gcp" -> {
        v.put("settings.gcp.project", "p");
        v.put("settings.gcp.location", "europe-west1");
      }
      default -> {}
    }
    return v;
  }

  static String render(String provider, Map<String, Object> values) {
    Path chart = Path.of(System.getProperty("dovetail.chart.dir", "../charts/dovetail"));
    TemplateCommand t =
        new Helm(chart)
            .template()
            .withName("dovetail")
            .withNamespace(NAMESPACE)
            .withKubeVersion("1.31.0")
            .skipCrds();
    values.forEach(t::set);
    return t.call();
  }

  static Container controller(String manifests) {
    KubernetesSerialization serialization = new KubernetesSerialization();
    for (String doc : DOCUMENT.split(manifests)) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
        continue;
      }
      HasMetadata obj = serialization.unmarshal(doc, HasMetadata.class);
      if (obj instanceof Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().stream()
            .filter(c -> c.getName().equals("controller"))
            .findFirst()
            .orElseThrow();
      }
    }
    throw new AssertionError("no Deployment rendered");
  }

  /** A rendered variable's value as the kubelet would resolve it. */
  static String value(EnvVar v) {
    if (v.getValueFrom() == null) {
      return v.getValue() == null ? "" : v.getValue();
    }
    if (v.getValueFrom().getFieldRef() != null
        && "metadata.name".equals(v.getValueFrom().getFieldRef().getFieldPath())) {
      return "dovetail-contract-pod";
    }
    throw new AssertionError("unresolvable rendered variable " + v.getName());
  }

  /** Environment variable → option of {@code dovetail run} whose default reads it. */
  private static Map<String, String> runOptionEnvironment() {
    Map<String, String> out = new LinkedHashMap<>();
    Pattern env = Pattern.compile("\\$\\{env:([A-Z0-9_]+)");
    // the annotations as written (the parsed model only holds the interpolated values)
    for (java.lang.reflect.Field f : RunCommand.class.getDeclaredFields()) {
      CommandLine.Option o = f.getAnnotation(CommandLine.Option.class);
      if (o != null) {
        var m = env.matcher(o.defaultValue());
        while (m.find()) {
          out.put(m.group(1), o.names()[0]);
        }
      }
    }
    return out;
  }

  private Set<String> levels(List<String> lines) throws IOException {
    Set<String> out = new TreeSet<>();
    for (String l : lines) {
      if (l.startsWith("{")) {
        JsonNode n = json.readTree(l);
        if (n.has("level")) {
          out.add(n.get("level").asText());
        }
      }
    }
    return out;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String kubeconfig(String url) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: embedded
          cluster:
            server: %s
        contexts:
        - name: embedded
          context:
            cluster: embedded
            user: embedded
            namespace: %s
        current-context: embedded
        users:
        - name: embedded
          user:
            token: embedded
        """
        .formatted(url.replaceAll("/$", ""), NAMESPACE);
  }
}
