package dev.dovetail.chart;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * RBAC rules flattened to "group/resource" -> verbs (resourceNames noted after a '#'), so tests can
 * compare what a role grants with what the controllers use, verb for verb.
 */
final class Rules {

  private Rules() {}

  static Map<String, Set<String>> flatten(Collection<PolicyRule> rules) {
    Map<String, Set<String>> grants = new TreeMap<>();
    for (PolicyRule rule : rules) {
      List<String> names = rule.getResourceNames() == null ? List.of() : rule.getResourceNames();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          String key = (group.isEmpty() ? "core" : group) + "/" + resource;
          if (!names.isEmpty()) {
            key += "#" + String.join(",", new TreeSet<>(names));
          }
          grants.computeIfAbsent(key, k -> new TreeSet<>()).addAll(rule.getVerbs());
        }
      }
    }
    return grants;
  }

  static Set<String> verbs(String... verbs) {
    return new TreeSet<>(List.of(verbs));
  }
}
