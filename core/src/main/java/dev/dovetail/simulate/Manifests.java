package dev.dovetail.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodePool;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The objects a simulation reads from YAML files or directories (as {@code kubectl get -o yaml}
 * prints them, {@code List} documents included): NodePools, NodeClasses, workloads, bare pods,
 * existing nodes and PDBs. Kinds a simulation does not use (Services, ConfigMaps, ...) are counted
 * as ignored; a document that cannot be read is an error naming the file and document.
 */
public record Manifests(
    List<NodePool> nodePools,
    List<ObjectNode> nodeClasses,
    List<Deployment> deployments,
    List<StatefulSet> statefulSets,
    List<ReplicaSet> replicaSets,
    List<Job> jobs,
    List<CronJob> cronJobs,
    List<DaemonSet> daemonSets,
    List<Pod> pods,
    List<Node> nodes,
    List<PodDisruptionBudget> podDisruptionBudgets,
    List<String> ignored) {

  /** A document that could not be read. */
  public static final class ManifestException extends RuntimeException {
    public ManifestException(String message) {
      super(message);
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Kinds that are NodeClasses of a known provider (their catalogs are in the simulated cloud). */
  static final Map<String, String> NODE_CLASS_CATALOGS =
      Map.of("EC2NodeClass", "aws", "AKSNodeClass", "azure", "GCENodeClass", "gcp");

  public static Manifests empty() {
    return new Manifests(
        new ArrayList<>(),
        new ArrayList<>(),
        new ArrayList<>(),
        new ArrayList<>(),
        new ArrayList<>(),
        new ArrayList<>(),
        new ArrayList<>(),
        new ArrayList<>(),
        new ArrayList<>(),
        new ArrayList<>(),
        new ArrayList<>(),
        new ArrayList<>());
  }

  /**
   * A copy with the given NodePools and everything else but the nodes and pods, which a question
   * adds back changed (a node removed, pods pending again).
   */
  Manifests withoutNodesAndPods(List<NodePool> pools) {
    Manifests out = empty();
    out.nodePools().addAll(pools);
    out.nodeClasses().addAll(nodeClasses);
    out.deployments().addAll(deployments);
    out.statefulSets().addAll(statefulSets);
    out.replicaSets().addAll(replicaSets);
    out.jobs().addAll(jobs);
    out.cronJobs().addAll(cronJobs);
    out.daemonSets().addAll(daemonSets);
    out.podDisruptionBudgets().addAll(podDisruptionBudgets);
    out.ignored().addAll(ignored);
    return out;
  }

  /**
   * Reads every {@code .yaml}/{@code .yml}/{@code .json} file of the paths (directories walked).
   */
  public static Manifests read(List<Path> paths) {
    Manifests m = empty();
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new ManifestException(path + ": no such file or directory");
      }
      for (Path file : files(path)) {
        m.readFile(file);
      }
    }
    return m;
  }

  private static List<Path> files(Path path) {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.toString().matches(".*\\.(ya?ml|json)$"))
          .sorted(Comparator.naturalOrder())
          .toList();
    } catch (IOException e) {
      throw new ManifestException(path + ": " + e.getMessage());
    }
  }

  private void readFile(Path file) {
    int doc = 0;
    try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(file.toFile())) {
      var it = YAML.readValues(parser, JsonNode.class);
      while (true) {
        JsonNode node;
        try {
          if (!it.hasNextValue()) {
            break;
          }
          doc++;
          node = it.nextValue();
        } catch (RuntimeException e) {
          throw new ManifestException(
              file + ": document " + doc + ": not valid YAML: " + firstLine(e.getMessage()));
        }
        add(node, file + ": document " + doc);
      }
    } catch (IOException e) {
      throw new ManifestException(file + ": " + firstLine(e.getMessage()));
    }
  }

  /** Adds one document (a {@code List}'s items each in turn). */
  void add(JsonNode node, String where) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return; // an empty document between two separators
    }
    if (!node.isObject()) {
      throw new ManifestException(where + ": not a Kubernetes object");
    }
    String kind = node.path("kind").asText("");
    if (kind.isEmpty()) {
      throw new ManifestException(where + ": kind: required field is missing");
    }
    if (kind.endsWith("List") && node.has("items")) {
      int i = 0;
      for (JsonNode item : node.get("items")) {
        add(item, where + ": items[" + i++ + "]");
      }
      return;
    }
    String apiVersion = node.path("apiVersion").asText("");
    try {
      switch (kind) {
        case "NodePool" -> {
          if (!apiVersion.startsWith(Karpenter.GROUP + "/")) {
            ignored.add(where + ": NodePool of " + apiVersion + " (only karpenter.sh/v1)");
          } else {
            NodePool pool = read(node, NodePool.class);
            String name = pool.getMetadata().getName();
            if (nodePools.removeIf(p -> p.getMetadata().getName().equals(name))) {
              ignored.add(where + ": NodePool " + name + " is defined again; this definition wins");
            }
            nodePools.add(pool);
          }
        }
        case "Deployment" -> deployments.add(read(node, Deployment.class));
        case "StatefulSet" -> statefulSets.add(read(node, StatefulSet.class));
        case "ReplicaSet" -> replicaSets.add(read(node, ReplicaSet.class));
        case "Job" -> jobs.add(read(node, Job.class));
        case "CronJob" -> cronJobs.add(read(node, CronJob.class));
        case "DaemonSet" -> daemonSets.add(read(node, DaemonSet.class));
        case "Pod" -> pods.add(read(node, Pod.class));
        case "Node" -> nodes.add(read(node, Node.class));
        case "PodDisruptionBudget" ->
            podDisruptionBudgets.add(read(node, PodDisruptionBudget.class));
        default -> {
          if (kind.endsWith("NodeClass")) {
            nodeClasses.add((ObjectNode) node);
          } else {
            ignored.add(where + ": " + kind + " (not used by a simulation)");
          }
        }
      }
    } catch (IllegalArgumentException e) {
      throw new ManifestException(where + ": " + kind + ": " + firstLine(e.getMessage()));
    }
  }

  private static <T extends HasMetadata> T read(JsonNode node, Class<T> type) {
    T obj = Serialization.jsonMapper().convertValue(node, type);
    if (obj.getMetadata() == null || obj.getMetadata().getName() == null) {
      throw new IllegalArgumentException("metadata.name: required field is missing");
    }
    return obj;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
