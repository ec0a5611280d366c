package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The discovery documents: {@code /version}, {@code /api}, {@code /apis} and each group version.
 */
final class Discovery {
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  private final ResourceTypes types;

  Discovery(ResourceTypes types) {
    this.types = types;
  }

  static ObjectNode version() {
    ObjectNode v = Json.object();
    v.put("major", "1");
    v.put("minor", "32");
    v.put("gitVersion", "v1.32.0-dovetail");
    v.put("gitCommit", "");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "2026-01-01T00:00:00Z");
    v.put("goVersion", "java");
    v.put("compiler", "dovetail");
    v.put("platform", "linux/amd64");
    return v;
  }

  static ObjectNode apiVersions(String address) {
    ObjectNode v = Json.object();
    v.put("kind", "APIVersions");
    v.putArray("versions").add("v1");
    ObjectNode cidr = v.putArray("serverAddressByClientCIDRs").addObject();
    cidr.put("clientCIDR", "0.0.0.0/0");
    cidr.put("serverAddress", address);
    return v;
  }

  ObjectNode groups() {
    ObjectNode list = Json.object();
    list.put("kind", "APIGroupList");
    list.put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    for (Map.Entry<String, List<String>> g : types.groups().entrySet()) {
      if (g.getKey().isEmpty()) {
        continue;
      }
      groups.add(group(g.getKey(), g.getValue()));
    }
    return list;
  }

  ObjectNode group(String name, List<String> versions) {
    ObjectNode group = Json.object();
    group.put("kind", "APIGroup");
    group.put("apiVersion", "v1");
    group.put("name", name);
    ArrayNode vs = group.putArray("versions");
    for (String v : versions) {
      ObjectNode gv = vs.addObject();
      gv.put("groupVersion", name + "/" + v);
      gv.put("version", v);
    }
    group.set("preferredVersion", vs.get(0).deepCopy());
    return group;
  }

  List<String> versionsOf(String group) {
    return types.groups().getOrDefault(group, List.of());
  }

  ObjectNode resources(String group, String version) {
    ObjectNode list = Json.object();
    list.put("kind", "APIResourceList");
    list.put("apiVersion", "v1");
    list.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = list.putArray("resources");
    for (ResourceType t : types.inGroupVersion(group, version)) {
      ObjectNode r = resources.addObject();
      r.put("name", t.plural());
      r.put("singularName", t.singular());
      r.put("namespaced", t.namespaced());
      r.put("kind", t.kind());
      VERBS.forEach(r.putArray("verbs")::add);
      if (!t.shortNames().isEmpty()) {
        t.shortNames().forEach(r.putArray("shortNames")::add);
      }
      if (t.statusSubresource()) {
        ObjectNode s = resources.addObject();
        s.put("name", t.plural() + "/status");
        s.put("singularName", "");
        s.put("namespaced", t.namespaced());
        s.put("kind", t.kind());
        List.of("get", "patch", "update").forEach(s.putArray("verbs")::add);
      }
      if ("pods".equals(t.plural()) && group.isEmpty()) {
        ObjectNode e = resources.addObject();
        e.put("name", "pods/eviction");
        e.put("singularName", "");
        e.put("namespaced", true);
        e.put("group", "policy");
        e.put("version", "v1");
        e.put("kind", "Eviction");
        e.putArray("verbs").add("create");
      }
    }
    return list;
  }
}
