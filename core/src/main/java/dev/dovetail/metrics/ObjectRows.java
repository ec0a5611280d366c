package dev.dovetail.metrics;

import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.prometheus.client.Collector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code karpenter_pods_state} (a row per pod) and {@code karpenter_nodes_allocatable} (a row per
 * node and resource), computed from the cluster state when Prometheus scrapes rather than held as
 * registered gauges. Held, they were the largest item of the controllers' heap that is not the
 * cluster itself: at 51,565 pods 69 K gauges with 770 K tags (~35 MB of a 512 MiB heap), and each
 * pod's row was removed and registered again whenever its phase or node changed. Here nothing is
 * kept between scrapes and a cluster nobody scrapes pays nothing.
 *
 * <p>Labels as upstream's pod and node metrics controllers give them (pkg/controllers/metrics/pod
 * and node): the pod's owner as the self link of its first owner reference, the node's well-known
 * labels under their snake-case names. Providers' own well-known labels (upstream adds them to the
 * node rows) are not added.
 */
final class ObjectRows extends Collector {
  static final String PODS_STATE = "karpenter_pods_state";
  static final String NODES_ALLOCATABLE = "karpenter_nodes_allocatable";

  private static final List<String> POD_LABELS =
      List.of(
          "name",
          "namespace",
          "owner",
          "node",
          "scheduled",
          "nodepool",
          "zone",
          "arch",
          "capacity_type",
          "instance_type",
          "phase",
          "ready",
          "managed");

  /** The node's well-known labels in the order of {@link #NODE_LABELS}' first entries. */
  private static final List<String> WELL_KNOWN =
      List.of(
          WellKnownLabels.NODE_POOL,
          WellKnownLabels.ZONE,
          WellKnownLabels.REGION,
          WellKnownLabels.INSTANCE_TYPE,
          WellKnownLabels.ARCH,
          WellKnownLabels.OS,
          WellKnownLabels.CAPACITY_TYPE,
          WellKnownLabels.WINDOWS_BUILD);

  private static final List<String> NODE_LABELS = nodeLabels();

  private volatile ClusterState state;

  /** From now on the rows are read from this cluster state. */
  void observe(ClusterState state) {
    this.state = state;
  }

  private static List<String> nodeLabels() {
    List<String> names = new ArrayList<>();
    for (String key : WELL_KNOWN) {
      names.add(key.substring(key.indexOf('/') + 1).toLowerCase(Locale.ROOT).replace('-', '_'));
    }
    names.addAll(List.of("node_name", "phase", "managed", "resource_type"));
    return List.copyOf(names);
  }

  @Override
  public List<MetricFamilySamples> collect() {
    ClusterState s = state;
    List<MetricFamilySamples.Sample> pods = new ArrayList<>();
    List<MetricFamilySamples.Sample> allocatable = new ArrayList<>();
    if (s != null) {
      Map<String, Node> nodes = new HashMap<>();
      for (Node n : s.nodes()) {
        nodes.put(n.getMetadata().getName(), n);
        allocatable(n, allocatable);
      }
      for (Pod p : s.pods()) {
        pods.add(new MetricFamilySamples.Sample(PODS_STATE, POD_LABELS, podRow(p, nodes), 1.0));
      }
    }
    return List.of(
        new MetricFamilySamples(
            PODS_STATE,
            Type.GAUGE,
            "Pod state is the current state of pods, labeled by the pod name, namespace, owner,"
                + " node, nodepool name, zone, architecture, capacity type, instance type, pod"
                + " phase and pod readiness",
            pods),
        new MetricFamilySamples(
            NODES_ALLOCATABLE,
            Type.GAUGE,
            "Node allocatable are the resources allocatable by nodes",
            allocatable));
  }

  private static void allocatable(Node n, List<MetricFamilySamples.Sample> out) {
    if (n.getStatus() == null || n.getStatus().getAllocatable() == null) {
      return;
    }
    Map<String, String> labels = labels(n);
    List<String> base = new ArrayList<>(NODE_LABELS.size());
    for (String key : WELL_KNOWN) {
      base.add(labels.getOrDefault(key, ""));
    }
    base.add(n.getMetadata().getName());
    base.add(n.getStatus().getPhase() == null ? "" : n.getStatus().getPhase());
    base.add(String.valueOf(labels.containsKey(WellKnownLabels.NODE_POOL)));
    CloudProviderFacade.resources(n.getStatus().getAllocatable())
        .asMap()
        .forEach(
            (resource, value) -> {
              List<String> values = new ArrayList<>(base);
              values.add(resource);
              out.add(
                  new MetricFamilySamples.Sample(
                      NODES_ALLOCATABLE,
                      NODE_LABELS,
                      values,
                      Resources.CPU.equals(resource) ? value / 1000.0 : value));
            });
  }

  private static List<String> podRow(Pod p, Map<String, Node> nodes) {
    String nodeName =
        p.getSpec() == null || p.getSpec().getNodeName() == null ? "" : p.getSpec().getNodeName();
    Node node = nodes.get(nodeName);
    Map<String, String> nodeLabels = node == null ? Map.of() : labels(node);
    // A real API server sets Pending on create; the embedded one may leave the phase unset.
    String phase =
        p.getStatus() == null || p.getStatus().getPhase() == null
            ? "Pending"
            : p.getStatus().getPhase();
    return List.of(
        p.getMetadata().getName(),
        p.getMetadata().getNamespace(),
        owner(p),
        nodeName,
        String.valueOf(!nodeName.isEmpty()),
        nodeLabels.getOrDefault(WellKnownLabels.NODE_POOL, ""),
        nodeLabels.getOrDefault(WellKnownLabels.ZONE, ""),
        nodeLabels.getOrDefault(WellKnownLabels.ARCH, ""),
        nodeLabels.getOrDefault(WellKnownLabels.CAPACITY_TYPE, ""),
        nodeLabels.getOrDefault(WellKnownLabels.INSTANCE_TYPE, ""),
        phase,
        String.valueOf(ready(p)),
        String.valueOf(nodeLabels.containsKey(WellKnownLabels.NODE_POOL)));
  }

  private static Map<String, String> labels(Node n) {
    Map<String, String> labels = n.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  private static boolean ready(Pod p) {
    if (p.getStatus() == null || p.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition c : p.getStatus().getConditions()) {
      if ("Ready".equals(c.getType()) && "True".equals(c.getStatus())) {
        return true;
      }
    }
    return false;
  }

  /** The first owner reference as a self link, as upstream writes it. */
  private static String owner(Pod p) {
    List<OwnerReference> refs = p.getMetadata().getOwnerReferences();
    if (refs == null || refs.isEmpty()) {
      return "";
    }
    OwnerReference ref = refs.get(0);
    return "/apis/"
        + ref.getApiVersion()
        + "/namespaces/"
        + p.getMetadata().getNamespace()
        + "/"
        + ref.getKind().toLowerCase(Locale.ROOT)
        + "s/"
        + ref.getName();
  }
}
