package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One kind the API serves: where it lives ({@code group/version/plural}), whether it is namespaced,
 * whether it has a status subresource, and for a CRD its OpenAPI schema.
 */
record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    boolean namespaced,
    boolean statusSubresource,
    List<String> shortNames,
    JsonNode schema) {

  String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  String listKind() {
    return kind + "List";
  }

  /** {@code .group} as error messages print it ("pods" vs "nodeclaims.karpenter.sh"). */
  String groupSuffix() {
    return group.isEmpty() ? "" : "." + group;
  }

  String singular() {
    return kind.toLowerCase(java.util.Locale.ROOT);
  }

  /** The key of this type in the store: {@code group/plural}, one per resource. */
  String key() {
    return group + "/" + plural;
  }
}
