package dev.dovetail.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.plugins.LoadedPlugins;
import dev.dovetail.plugins.PluginLoader;
import dev.dovetail.plugins.PluginsDirectory;
import dev.dovetail.simulate.LiveCluster;
import dev.dovetail.simulate.Manifests;
import dev.dovetail.simulate.Questions;
import dev.dovetail.simulate.ReportHtml;
import dev.dovetail.simulate.ReportTable;
import dev.dovetail.simulate.SimulationReport;
import dev.dovetail.simulate.Simulator;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dovetail simulate}: what-if planning with the controller's own engine, on YAML files or a
 * live cluster (read-only), with reasons.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Answers what Dovetail would do, with the controller's own engine, without changing",
      "anything: on YAML files (-f) or a live cluster (--kubeconfig, read-only).",
      "Questions: provision (default), consolidate, remove-node NAME, nodepool-change FILE."
    })
public final class SimulateCommand implements Callable<Integer> {
  @Option(
      names = {"-f", "--filename"},
      paramLabel = "PATH",
      description =
          "A YAML file or directory (repeatable): NodePools, NodeClasses, Deployments,"
              + " StatefulSets, ReplicaSets, Jobs, CronJobs, DaemonSets, Pods, Nodes, PDBs.")
  List<Path> files = new ArrayList<>();

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Read a live cluster through this kubeconfig instead of files (list calls only).")
  Path kubeconfig;

  @Option(
      names = "--question",
      defaultValue = "provision",
      description = "provision (default), consolidate, remove-node or nodepool-change.")
  String question;

  @Option(names = "--node", paramLabel = "NAME", description = "The node for remove-node.")
  String node;

  @Option(
      names = "--nodepool-file",
      paramLabel = "FILE",
      description = "The edited NodePool(s) for nodepool-change.")
  Path nodePoolFile;

  @Option(
      names = "--output",
      defaultValue = "table",
      description = "table (default), json or html.")
  String output;

  @Option(names = "--output-file", paramLabel = "FILE", description = "Write the answer here.")
  Path outputFile;

  @Option(
      names = "--provider",
      defaultValue = "simulated",
      description = "The provider whose instance types are used (default ${DEFAULT-VALUE}).")
  String provider;

  @Option(
      names = "--catalog",
      description =
          "The simulated cloud's catalog: aws, azure or gcp (default: from the NodePools'"
              + " NodeClass kinds, else aws).")
  String catalog;

  @Option(
      names = "--plugins-dir",
      paramLabel = "DIR",
      description =
          "Directory of provider plugins (default: $"
              + PluginsDirectory.ENV
              + ", else plugins/ next to the distribution).")
  List<Path> pluginsDirs = new ArrayList<>();

  @Option(
      names = "--provider-setting",
      paramLabel = "KEY=VALUE",
      description = "A provider setting (repeatable).")
  Map<String, String> providerSettings = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    String[] q = parseQuestion();
    if (!output.matches("table|json|html")) {
      throw new IllegalArgumentException(
          "--output must be table, json or html, got '" + output + "'");
    }
    if (files.isEmpty() == (kubeconfig == null)) {
      throw new IllegalArgumentException(
          "give either -f PATH (files) or --kubeconfig FILE (a live cluster)");
    }
    if (catalog != null && !catalog.matches("aws|azure|gcp")) {
      throw new IllegalArgumentException(
          "--catalog must be aws, azure or gcp, got '" + catalog + "'");
    }
    try (LoadedPlugins loaded = PluginLoader.forDirectories(pluginsDirs).load()) {
      CloudProvider cloud =
          loaded
              .select(provider)
              .provider()
              .orElseThrow(
                  () -> new IllegalArgumentException("provider " + provider + " is not loaded"));
      Manifests m;
      if (kubeconfig != null) {
        if (!Files.isRegularFile(kubeconfig)) {
          throw new IllegalArgumentException("--kubeconfig: no such file: " + kubeconfig);
        }
        Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
          m = LiveCluster.read(client, cloud.supportedNodeClasses());
        }
      } else {
        m = Manifests.read(files);
      }
      Map<String, String> settings = new LinkedHashMap<>(providerSettings);
      if ("simulated".equals(provider)) {
        settings.putIfAbsent("catalog", catalog != null ? catalog : inferCatalog(m));
      }
      cloud.start(
          new ProviderContext(
              "simulate",
              settings,
              Clock.systemUTC(),
              NodeRegistrar.NONE,
              InterruptionListener.IGNORE));
      try {
        long t0 = System.nanoTime();
        SimulationReport report = answer(new Simulator(cloud, Clock.systemUTC().instant()), m, q);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        write(report);
        if (!"json".equals(output) || outputFile != null) {
          System.err.printf("answered in %d ms (%d pods)%n", millis, report.pods().size());
        }
        return 0;
      } finally {
        cloud.close();
      }
    }
  }

  static SimulationReport answer(Simulator simulator, Manifests m, String[] q) {
    Questions questions = new Questions(simulator);
    return switch (q[0]) {
      case "provision" -> simulator.provision(m);
      case "consolidate" -> questions.consolidate(m);
      case "remove-node" -> questions.removeNode(m, q[1]);
      case "nodepool-change" -> {
        Manifests edited = Manifests.read(List.of(Path.of(q[1])));
        List<NodePool> pools = edited.nodePools();
        if (pools.isEmpty()) {
          throw new IllegalArgumentException(
              "--nodepool-file " + q[1] + ": no karpenter.sh/v1 NodePool in it");
        }
        yield questions.nodePoolChange(m, pools);
      }
      default -> throw new IllegalStateException(q[0]);
    };
  }

  private String[] parseQuestion() {
    switch (question) {
      case "provision", "consolidate" -> {
        return new String[] {question};
      }
      case "remove-node" -> {
        if (node == null) {
          throw new IllegalArgumentException("--question remove-node needs --node NAME");
        }
        return new String[] {question, node};
      }
      case "nodepool-change" -> {
        if (nodePoolFile == null) {
          throw new IllegalArgumentException(
              "--question nodepool-change needs --nodepool-file FILE");
        }
        return new String[] {question, nodePoolFile.toString()};
      }
      default ->
          throw new IllegalArgumentException(
              "--question must be provision, consolidate, remove-node or nodepool-change, got '"
                  + question
                  + "'");
    }
  }

  /** The cloud of the first NodePool whose NodeClass kind names one, else aws. */
  static String inferCatalog(Manifests m) {
    Map<String, String> byKind =
        Map.of("EC2NodeClass", "aws", "AKSNodeClass", "azure", "GCENodeClass", "gcp");
    for (NodePool p : m.nodePools()) {
      var ref = p.getSpec().getTemplate().getSpec().getNodeClassRef();
      if (ref != null && byKind.containsKey(ref.getKind())) {
        return byKind.get(ref.getKind());
      }
    }
    return "aws";
  }

  private void write(SimulationReport report) throws Exception {
    String text =
        switch (output) {
          case "json" ->
              new ObjectMapper()
                      .enable(SerializationFeature.INDENT_OUTPUT)
                      .writeValueAsString(report)
                  + "\n";
          case "html" -> ReportHtml.render(report, List.of());
          default -> {
            var buf = new java.io.ByteArrayOutputStream();
            try (PrintStream ps =
                new PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8)) {
              ReportTable.print(report, ps);
            }
            yield buf.toString(java.nio.charset.StandardCharsets.UTF_8);
          }
        };
    if (outputFile != null) {
      Files.writeString(outputFile, text);
      System.out.println("wrote " + outputFile);
    } else {
      System.out.print(text);
    }
  }
}
