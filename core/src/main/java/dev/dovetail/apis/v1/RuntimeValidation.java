package dev.dovetail.apis.v1;

import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks upstream runs on a NodePool at run time ({@code RuntimeValidate}: they decide its
 * {@code ValidationSucceeded} condition) because a CRD schema cannot express them: qualified label
 * keys, duplicate taints, and known values of well-known labels. {@code dovetail validate} reports
 * them too, so a manifest that would never become Ready is caught before it is applied.
 */
public final class RuntimeValidation {
  /** A problem at a field path of the NodePool. */
  public record Violation(String path, String message) {}

  private static final Pattern NAME = Pattern.compile("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

  /**
   * Well-known label keys whose values are a known set (upstream WellKnownValuesForRequirements).
   */
  public static final Map<String, Set<String>> WELL_KNOWN_VALUES =
      Map.of("karpenter.sh/capacity-type", Set.of("on-demand", "spot", "reserved"));

  private RuntimeValidation() {}

  /** Everything upstream's runtime validation would reject in this NodePool. */
  public static List<Violation> validate(NodePool nodePool) {
    List<Violation> violations = new ArrayList<>();
    NodePoolSpec spec = nodePool.getSpec();
    if (spec == null || spec.getTemplate() == null) {
      return violations;
    }
    NodeClaimTemplate template = spec.getTemplate();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      for (String key : template.getMetadata().getLabels().keySet()) {
        qualifiedName(key)
            .ifPresent(
                m ->
                    violations.add(
                        new Violation(
                            "spec.template.metadata.labels[" + key + "]",
                            "invalid label key: " + m)));
      }
    }
    NodeClaimTemplateSpec ts = template.getSpec();
    if (ts == null) {
      return violations;
    }
    Set<String> seen = new HashSet<>();
    duplicateTaints(ts.getTaints(), "spec.template.spec.taints", seen, violations);
    duplicateTaints(ts.getStartupTaints(), "spec.template.spec.startupTaints", seen, violations);
    List<NodeSelectorRequirementWithMinValues> requirements =
        ts.getRequirements() == null ? List.of() : ts.getRequirements();
    for (int i = 0; i < requirements.size(); i++) {
      NodeSelectorRequirementWithMinValues r = requirements.get(i);
      String path = "spec.template.spec.requirements[" + i + "]";
      if (r.getKey() != null) {
        qualifiedName(r.getKey())
            .ifPresent(
                m -> violations.add(new Violation(path + ".key", "invalid label key: " + m)));
      }
      knownValues(r).ifPresent(m -> violations.add(new Violation(path + ".values", m)));
    }
    return violations;
  }

  private static void duplicateTaints(
      List<Taint> taints, String path, Set<String> seen, List<Violation> violations) {
    if (taints == null) {
      return;
    }
    for (int i = 0; i < taints.size(); i++) {
      Taint t = taints.get(i);
      if (!seen.add(t.getKey() + ":" + t.getEffect())) {
        violations.add(
            new Violation(
                path + "[" + i + "]",
                "duplicate taint key/effect pair " + t.getKey() + "=" + t.getEffect()));
      }
    }
  }

  /** Upstream's validateWellKnownValues: an In requirement needs enough known values. */
  private static java.util.Optional<String> knownValues(NodeSelectorRequirementWithMinValues r) {
    Set<String> known = WELL_KNOWN_VALUES.get(r.getKey());
    if (known == null || !"In".equals(r.getOperator()) || r.getValues() == null) {
      return java.util.Optional.empty();
    }
    long valid = r.getValues().stream().filter(known::contains).count();
    if (valid == 0) {
      return java.util.Optional.of(
          "no valid values for "
              + r.getKey()
              + ": expected one of "
              + new java.util.TreeSet<>(known)
              + ", got "
              + r.getValues());
    }
    if (r.getMinValues() != null && valid < r.getMinValues()) {
      return java.util.Optional.of(
          "not enough valid values for "
              + r.getKey()
              + ": minValues is "
              + r.getMinValues()
              + " but only "
              + valid
              + " of "
              + r.getValues()
              + " are known");
    }
    return java.util.Optional.empty();
  }

  /** Kubernetes' IsQualifiedName: optional DNS-subdomain prefix and '/', then a 63-char name. */
  static java.util.Optional<String> qualifiedName(String key) {
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        return java.util.Optional.of(
            "\"" + key + "\": the prefix must be a DNS subdomain (lower case, '-', '.')");
      }
    }
    if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
      return java.util.Optional.of(
          "\""
              + key
              + "\": the name part must be 63 characters or less, alphanumeric at both ends, with"
              + " '-', '_' or '.' between");
    }
    return java.util.Optional.empty();
  }
}
