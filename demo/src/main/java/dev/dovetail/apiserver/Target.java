package dev.dovetail.apiserver;

/** What a resource path names: a resource, a namespace (or none), a name and a subresource. */
record Target(ResourceType type, String namespace, String name, String subresource) {

  /**
   * Parses {@code /api/v1/...} or {@code /apis/{group}/{version}/...}; null if the path is not a
   * resource path. Throws 404 for an unknown resource.
   */
  static Target parse(String path, ResourceTypes types) {
    String[] all = path.split("/");
    java.util.List<String> s = new java.util.ArrayList<>();
    for (String p : all) {
      if (!p.isEmpty()) {
        s.add(p);
      }
    }
    String group;
    String version;
    int rest;
    if (s.size() >= 3 && s.get(0).equals("api")) {
      group = "";
      version = s.get(1);
      rest = 2;
    } else if (s.size() >= 4 && s.get(0).equals("apis")) {
      group = s.get(1);
      version = s.get(2);
      rest = 3;
    } else {
      return null;
    }
    java.util.List<String> r = s.subList(rest, s.size());
    if (!r.isEmpty() && r.get(0).equals("watch")) {
      r = r.subList(1, r.size());
    }
    if (r.size() >= 3 && r.get(0).equals("namespaces")) {
      var namespaced = types.find(group, version, r.get(2));
      if (namespaced.isPresent() && namespaced.get().namespaced()) {
        return new Target(
            namespaced.get(),
            r.get(1),
            r.size() > 3 ? r.get(3) : null,
            r.size() > 4 ? r.get(4) : null);
      }
    }
    String plural = r.get(0);
    ResourceType type =
        types
            .find(group, version, plural)
            .orElseThrow(
                () ->
                    new ApiException(
                        404, "NotFound", "the server could not find the requested resource"));
    return new Target(type, null, r.size() > 1 ? r.get(1) : null, r.size() > 2 ? r.get(2) : null);
  }
}
