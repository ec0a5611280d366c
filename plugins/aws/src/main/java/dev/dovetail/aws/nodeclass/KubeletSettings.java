package dev.dovetail.aws.nodeclass;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of the open {@code spec.kubelet} object: the fields that change pods per node,
 * overhead and bootstrap. Everything else is passed through to the node configuration untouched.
 */
public record KubeletSettings(
    Integer maxPods,
    Integer podsPerCore,
    Map<String, String> kubeReserved,
    Map<String, String> systemReserved,
    Map<String, String> evictionHard,
    Map<String, String> evictionSoft,
    List<String> clusterDNS,
    Map<String, Object> raw) {

  public static KubeletSettings from(Map<String, Object> kubelet) {
    Map<String, Object> k = kubelet == null ? Map.of() : kubelet;
    return new KubeletSettings(
        integer(k.get("maxPods")),
        integer(k.get("podsPerCore")),
        strings(k.get("kubeReserved")),
        strings(k.get("systemReserved")),
        strings(k.get("evictionHard")),
        strings(k.get("evictionSoft")),
        k.get("clusterDNS") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : null,
        k);
  }

  private static Integer integer(Object o) {
    if (o instanceof Number n) {
      return n.intValue();
    }
    if (o instanceof String s && s.matches("\\d+")) {
      return Integer.parseInt(s);
    }
    return null;
  }

  private static Map<String, String> strings(Object o) {
    if (!(o instanceof Map<?, ?> m)) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach((key, value) -> out.put(String.valueOf(key), String.valueOf(value)));
    return out;
  }
}
