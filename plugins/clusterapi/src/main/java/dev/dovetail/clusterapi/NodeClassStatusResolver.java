package dev.dovetail.clusterapi;

import dev.dovetail.cloudprovider.NodeClassStatus;
import dev.dovetail.clusterapi.instancetype.ResolvedResource;
import dev.dovetail.clusterapi.v1alpha1.ClusterAPINodeClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ClusterAPINodeClass's status: the scalable resources it selects (with their instance type and
 * replicas) and Ready, False with a message when nothing usable is selected. Duplicate instance
 * type names (two resources with one name in different namespaces) are reported: the second cannot
 * be told apart on a node.
 */
final class NodeClassStatusResolver {
  private final ResolvedResourceCache cache;

  NodeClassStatusResolver(ResolvedResourceCache cache) {
    this.cache = cache;
  }

  NodeClassStatus status(ClusterAPINodeClass nodeClass) {
    List<ResolvedResource> resolved = cache.resolveFresh(nodeClass);
    List<Map<String, Object>> matched = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    int usable = 0;
    for (ResolvedResource r : resolved) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("kind", r.resource().ref().kind());
      entry.put("namespace", r.resource().ref().namespace());
      entry.put("name", r.resource().ref().name());
      entry.put("replicas", r.resource().replicas());
      if (r.usable()) {
        String type = r.instanceType().name();
        entry.put("instanceType", type);
        String other = seen.putIfAbsent(type, r.resource().ref().toString());
        if (other != null) {
          problems.add(
              r.resource().ref() + ": instance type name " + type + " also used by " + other);
        } else {
          usable++;
        }
      } else {
        problems.add(r.resource().ref() + ": " + r.problem());
      }
      matched.add(entry);
    }
    Map<String, Object> fields = Map.of("scalableResources", matched);
    if (resolved.isEmpty()) {
      return NodeClassStatus.notReady(
          fields,
          "NoScalableResources",
          "scalableResourceSelector matches no MachineDeployment, MachineSet or MachinePool");
    }
    if (usable == 0) {
      return NodeClassStatus.notReady(
          fields, "NoUsableScalableResources", String.join("; ", problems));
    }
    return NodeClassStatus.ready(fields);
  }
}
