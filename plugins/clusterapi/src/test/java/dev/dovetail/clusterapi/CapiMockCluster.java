package dev.dovetail.clusterapi;

import dev.dovetail.clusterapi.capi.Capi;
import dev.dovetail.clusterapi.capi.CapiApi;
import dev.dovetail.clusterapi.capi.Fields;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A management cluster for tests: fabric8's mock API server in CRUD mode holding CAPI objects
 * (MachineDeployments, MachineSets, MachinePools, Machines, DockerMachineTemplates) as generic
 * resources, plus builders for them.
 */
final class CapiMockCluster implements AutoCloseable {
  static final String NS = "capi";
  static final String CLUSTER = "workload";
  static final String INFRA_GROUP = "infrastructure.cluster.x-k8s.io";

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  final CapiApi api;

  CapiMockCluster() {
    List<CustomResourceDefinitionContext> crds = new ArrayList<>();
    for (String kind :
        List.of(Capi.MACHINE_DEPLOYMENT, Capi.MACHINE_SET, Capi.MACHINE_POOL, Capi.MACHINE)) {
      crds.add(crd(Capi.GROUP, Capi.V1BETA1, kind));
    }
    crds.add(crd(INFRA_GROUP, "v1beta1", "DockerMachineTemplate"));
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(crds),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
    api = new CapiApi(client, Capi.V1BETA1);
  }

  private static CustomResourceDefinitionContext crd(String group, String version, String kind) {
    String plural = kind.toLowerCase() + "s";
    return new CustomResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withName(plural + "." + group)
        .withScope("Namespaced")
        .withStatusSubresource(false)
        .build();
  }

  KubernetesClient client() {
    return client;
  }

  /** A kubeconfig pointing at this server, as a file's content. */
  String kubeconfig() {
    return "apiVersion: v1\nkind: Config\nclusters:\n- name: mgmt\n  cluster:\n    server: "
        + client.getMasterUrl()
        + "\ncontexts:\n- name: mgmt\n  context:\n    cluster: mgmt\n    user: u\n"
        + "current-context: mgmt\nusers:\n- name: u\n  user:\n    token: t\n";
  }

  /** A MachineDeployment with the scale-from-zero annotations for 4 vCPU / 16Gi. */
  GenericKubernetesResource machineDeployment(
      String name, int replicas, Map<String, String> extra) {
    return scalable(Capi.MACHINE_DEPLOYMENT, name, replicas, extra);
  }

  GenericKubernetesResource scalable(
      String kind, String name, int replicas, Map<String, String> extra) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(Capi.CPU_ANNOTATION, "4");
    annotations.put(Capi.MEMORY_ANNOTATION, "16Gi");
    annotations.put(Capi.MAX_PODS_ANNOTATION, "110");
    annotations.putAll(extra);
    annotations.values().removeIf(v -> v == null);
    GenericKubernetesResource obj = new GenericKubernetesResource();
    obj.setApiVersion(Capi.GROUP + "/" + Capi.V1BETA1);
    obj.setKind(kind);
    obj.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(NS)
            .withLabels(Map.of(Capi.KARPENTER_MEMBER_LABEL, "", Capi.CLUSTER_NAME_LABEL, CLUSTER))
            .withAnnotations(annotations)
            .build());
    Fields.set(obj, "spec.clusterName", CLUSTER);
    Fields.set(obj, "spec.replicas", replicas);
    Fields.set(obj, "spec.template.spec.version", "v1.31.0");
    Fields.set(obj, "spec.template.spec.failureDomain", "zone-a");
    Fields.set(
        obj,
        "spec.template.spec.infrastructureRef",
        new LinkedHashMap<>(
            Map.of(
                "apiVersion", INFRA_GROUP + "/v1beta1",
                "kind", "DockerMachineTemplate",
                "name", name + "-infra-v1")));
    Fields.set(
        obj,
        "spec.template.spec.bootstrap.configRef",
        new LinkedHashMap<>(
            Map.of(
                "apiVersion", "bootstrap.cluster.x-k8s.io/v1beta1",
                "kind", "KubeadmConfigTemplate",
                "name", name + "-bootstrap-v1")));
    Fields.set(
        obj,
        "spec.template.metadata.labels",
        new LinkedHashMap<>(Map.of("node-role.kubernetes.io/worker", "", "team", "a")));
    return api.resources(kind).inNamespace(NS).resource(obj).create();
  }

  GenericKubernetesResource get(String kind, String name) {
    return api.get(kind, NS, name).orElseThrow();
  }

  int replicas(String kind, String name) {
    Object r = Fields.get(get(kind, name), "spec.replicas");
    return ((Number) r).intValue();
  }

  List<GenericKubernetesResource> machines() {
    return api.list(Capi.MACHINE, NS, Map.of());
  }

  /** Changes the object through a read-modify-write. */
  void edit(String kind, String name, java.util.function.Consumer<GenericKubernetesResource> f) {
    GenericKubernetesResource obj = get(kind, name);
    f.accept(obj);
    api.update(kind, obj);
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
