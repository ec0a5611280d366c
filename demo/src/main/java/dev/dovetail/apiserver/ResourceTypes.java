package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resources the API serves: the built-in kinds Dovetail, kubectl and the tests use, and every
 * CustomResourceDefinition registered (from CRD YAML or by creating a CRD object).
 */
final class ResourceTypes {
  private final Map<String, ResourceType> byGroupVersionPlural = new ConcurrentHashMap<>();

  ResourceTypes() {
    core("Pod", "pods", true, true, "po");
    core("Node", "nodes", false, true, "no");
    core("Namespace", "namespaces", false, true, "ns");
    core("Event", "events", true, false, "ev");
    core("PersistentVolume", "persistentvolumes", false, true, "pv");
    core("PersistentVolumeClaim", "persistentvolumeclaims", true, true, "pvc");
    core("Service", "services", true, true, "svc");
    core("ConfigMap", "configmaps", true, false, "cm");
    core("Secret", "secrets", true, false);
    core("Binding", "bindings", true, false);
    core("ServiceAccount", "serviceaccounts", true, false, "sa");
    core("Endpoints", "endpoints", true, false, "ep");
    core("ReplicationController", "replicationcontrollers", true, true, "rc");
    core("LimitRange", "limitranges", true, false, "limits");
    core("ResourceQuota", "resourcequotas", true, true, "quota");
    builtIn("apps", "v1", "Deployment", "deployments", true, true, "deploy");
    builtIn("apps", "v1", "ReplicaSet", "replicasets", true, true, "rs");
    builtIn("apps", "v1", "StatefulSet", "statefulsets", true, true, "sts");
    builtIn("apps", "v1", "DaemonSet", "daemonsets", true, true, "ds");
    builtIn("apps", "v1", "ControllerRevision", "controllerrevisions", true, false);
    builtIn("batch", "v1", "Job", "jobs", true, true);
    builtIn("batch", "v1", "CronJob", "cronjobs", true, true, "cj");
    builtIn("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, true, "pdb");
    builtIn("storage.k8s.io", "v1", "StorageClass", "storageclasses", false, false, "sc");
    builtIn("storage.k8s.io", "v1", "CSINode", "csinodes", false, false);
    builtIn("storage.k8s.io", "v1", "CSIDriver", "csidrivers", false, false);
    builtIn("storage.k8s.io", "v1", "VolumeAttachment", "volumeattachments", false, true);
    builtIn("coordination.k8s.io", "v1", "Lease", "leases", true, false);
    builtIn("events.k8s.io", "v1", "Event", "events", true, false, "ev");
    builtIn("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", false, false, "pc");
    builtIn("node.k8s.io", "v1", "RuntimeClass", "runtimeclasses", false, false);
    builtIn(
        "apiextensions.k8s.io",
        "v1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
        false,
        true,
        "crd",
        "crds");
  }

  private void core(String kind, String plural, boolean ns, boolean status, String... shortNames) {
    builtIn("", "v1", kind, plural, ns, status, shortNames);
  }

  private void builtIn(
      String group,
      String version,
      String kind,
      String plural,
      boolean ns,
      boolean status,
      String... shortNames) {
    add(new ResourceType(group, version, kind, plural, ns, status, List.of(shortNames), null));
  }

  private void add(ResourceType t) {
    byGroupVersionPlural.put(t.group() + "/" + t.version() + "/" + t.plural(), t);
  }

  /** Registers every served version of a CRD (a CustomResourceDefinition object as JSON). */
  List<ResourceType> register(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asText();
    JsonNode names = spec.path("names");
    List<String> shortNames = new ArrayList<>();
    names.path("shortNames").forEach(n -> shortNames.add(n.asText()));
    boolean namespaced = "Namespaced".equals(spec.path("scope").asText());
    List<ResourceType> out = new ArrayList<>();
    for (JsonNode v : spec.path("versions")) {
      if (!v.path("served").asBoolean(true)) {
        continue;
      }
      JsonNode schema = v.path("schema").path("openAPIV3Schema");
      ResourceType t =
          new ResourceType(
              group,
              v.path("name").asText(),
              names.path("kind").asText(),
              names.path("plural").asText(),
              namespaced,
              v.path("subresources").has("status"),
              List.copyOf(shortNames),
              schema.isMissingNode() ? null : schema);
      add(t);
      out.add(t);
    }
    return out;
  }

  Optional<ResourceType> find(String group, String version, String plural) {
    return Optional.ofNullable(byGroupVersionPlural.get(group + "/" + version + "/" + plural));
  }

  Collection<ResourceType> all() {
    return byGroupVersionPlural.values();
  }

  /** Group → versions, in the order registered (for discovery). */
  Map<String, List<String>> groups() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (ResourceType t : all()) {
      List<String> versions = out.computeIfAbsent(t.group(), g -> new ArrayList<>());
      if (!versions.contains(t.version())) {
        versions.add(t.version());
      }
    }
    return out;
  }

  List<ResourceType> inGroupVersion(String group, String version) {
    return all().stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version))
        .sorted(java.util.Comparator.comparing(ResourceType::plural))
        .toList();
  }

  /** Built-in kinds take strategic merge patches; custom resources do not. */
  static boolean isBuiltIn(ResourceType t) {
    return t.schema() == null;
  }
}
