package dev.dovetail.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dovetail.apis.v1.Karpenter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Java implementations of the CEL rules ({@code x-kubernetes-validations}) in the CRDs Dovetail
 * ships, keyed by the exact rule text, so {@code dovetail validate} enforces what the API server
 * would without a CEL engine. {@code CelRulesTest} fails when a shipped CRD carries a rule that is
 * neither implemented here nor a transition rule.
 *
 * <p>Transition rules (those reading {@code oldSelf}) compare an update with the stored object;
 * validating files has no stored object, so they are not evaluated.
 */
public final class CelRules {

  /**
   * Checks {@code self} and returns the path suffixes at which the rule fails: {@code ""} for
   * {@code self} itself, {@code "[3]"} or {@code "[key]"} for one element of a list or map.
   */
  @FunctionalInterface
  interface Check {
    List<String> failures(JsonNode self);
  }

  private static final Pattern QUANTITY =
      Pattern.compile(
          "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$");

  private static final Map<String, Check> CHECKS =
      Map.ofEntries(
          // --- karpenter.sh NodePool / NodeClaim
          Map.entry(
              "self.all(x, has(x.schedule) == has(x.duration))",
              eachElement(x -> x.has("schedule") == x.has("duration"))),
          Map.entry(
              "self.all(x, x in [\"karpenter.sh/capacity-type\", \"karpenter.sh/nodepool\"] ||"
                  + " !x.find(\"^([^/]+)\").endsWith(\"karpenter.sh\"))",
              eachKey(CelRules::notInKarpenterDomain)),
          Map.entry(
              "self.all(x, x != \"karpenter.sh/nodepool\")",
              eachKey(k -> !k.equals("karpenter.sh/nodepool"))),
          Map.entry(
              "self.all(x, x != \"kubernetes.io/hostname\")",
              eachKey(k -> !k.equals("kubernetes.io/hostname"))),
          Map.entry(
              "self in [\"karpenter.sh/capacity-type\", \"karpenter.sh/nodepool\"] ||"
                  + " !self.find(\"^([^/]+)\").endsWith(\"karpenter.sh\")",
              self(s -> notInKarpenterDomain(s.asText()))),
          Map.entry(
              "self != \"kubernetes.io/hostname\"",
              self(s -> !s.asText().equals("kubernetes.io/hostname"))),
          Map.entry("self != ''", self(s -> !s.asText().isEmpty())),
          Map.entry(
              "self.all(x, x.operator == 'In' ? x.values.size() != 0 : true)",
              eachElement(x -> !op(x, "In") || size(x.get("values")) != 0)),
          Map.entry(
              "self.all(x, (x.operator == 'Gt' || x.operator == 'Lt' || x.operator == 'Gte' ||"
                  + " x.operator == 'Lte') ? (x.values.size() == 1 && int(x.values[0]) >= 0) :"
                  + " true)",
              eachElement(
                  x ->
                      !(op(x, "Gt") || op(x, "Lt") || op(x, "Gte") || op(x, "Lte"))
                          || (size(x.get("values")) == 1
                              && celInt(x.get("values").get(0)).filter(v -> v >= 0).isPresent()))),
          Map.entry(
              "self.all(x, (x.operator == 'In' && has(x.minValues)) ? x.values.size() >="
                  + " x.minValues : true)",
              eachElement(
                  x ->
                      !(op(x, "In") && x.has("minValues"))
                          || size(x.get("values")) >= x.get("minValues").asLong())),
          Map.entry(
              "self.all(x, x.key != 'karpenter.sh/nodepool')",
              eachElement(x -> !x.path("key").asText().equals("karpenter.sh/nodepool"))),
          Map.entry(
              "!has(self.replicas) || (!has(self.limits) || size(self.limits) == 0 ||"
                  + " (size(self.limits) == 1 && 'nodes' in self.limits))",
              self(
                  s ->
                      !s.has("replicas")
                          || !s.has("limits")
                          || size(s.get("limits")) == 0
                          || (size(s.get("limits")) == 1 && s.get("limits").has("nodes")))),
          Map.entry(
              Karpenter.QUANTITY_MAP_RULE,
              eachEntry((k, v) -> v.isValueNode() && QUANTITY.matcher(v.asText()).matches())),
          Map.entry(
              "!has(self.replicas) || !has(self.weight)",
              self(s -> !s.has("replicas") || !s.has("weight"))),
          // --- shared by AKSNodeClass and GCENodeClass kubelet settings
          Map.entry(
              "has(self.imageGCHighThresholdPercent) && has(self.imageGCLowThresholdPercent) ? "
                  + " self.imageGCHighThresholdPercent > self.imageGCLowThresholdPercent  : true",
              self(s -> lessThan(s, "imageGCLowThresholdPercent", "imageGCHighThresholdPercent"))),
          // --- AKSNodeClass
          Map.entry("self.all(k, size(k) <= 512)", eachKey(k -> celSize(k) <= 512)),
          Map.entry(
              "self.all(k, !k.matches('[<>%&?]'))",
              eachKey(k -> !Pattern.compile("[<>%&?]").matcher(k).find())),
          Map.entry("self.all(k, !k.contains('\\\\'))", eachKey(k -> !k.contains("\\"))),
          Map.entry(
              "self.all(k, size(self[k]) <= 256)", eachEntry((k, v) -> celSize(v.asText()) <= 256)),
          Map.entry(
              "has(self.netCoreRmemDefault) && has(self.netCoreRmemMax) ? self.netCoreRmemDefault"
                  + " <= self.netCoreRmemMax : true",
              self(s -> atMost(s, "netCoreRmemDefault", "netCoreRmemMax"))),
          Map.entry(
              "has(self.netCoreWmemDefault) && has(self.netCoreWmemMax) ? self.netCoreWmemDefault"
                  + " <= self.netCoreWmemMax : true",
              self(s -> atMost(s, "netCoreWmemDefault", "netCoreWmemMax"))),
          Map.entry(
              "has(self.netIPv4NeighDefaultGcThresh1) && has(self.netIPv4NeighDefaultGcThresh2) ?"
                  + " self.netIPv4NeighDefaultGcThresh1 <= self.netIPv4NeighDefaultGcThresh2 :"
                  + " true",
              self(s -> atMost(s, "netIPv4NeighDefaultGcThresh1", "netIPv4NeighDefaultGcThresh2"))),
          Map.entry(
              "has(self.netIPv4NeighDefaultGcThresh2) && has(self.netIPv4NeighDefaultGcThresh3) ?"
                  + " self.netIPv4NeighDefaultGcThresh2 <= self.netIPv4NeighDefaultGcThresh3 :"
                  + " true",
              self(s -> atMost(s, "netIPv4NeighDefaultGcThresh2", "netIPv4NeighDefaultGcThresh3"))),
          Map.entry(
              "!has(self.netIPv4IPLocalPortRange) ||"
                  + " (int(self.netIPv4IPLocalPortRange.split(' ')[0]) >= 1024 &&"
                  + " int(self.netIPv4IPLocalPortRange.split(' ')[0]) <= 60999)",
              self(s -> portInRange(s, 0, 1024, 60999))),
          Map.entry(
              "!has(self.netIPv4IPLocalPortRange) ||"
                  + " (int(self.netIPv4IPLocalPortRange.split(' ')[1]) >= 32768 &&"
                  + " int(self.netIPv4IPLocalPortRange.split(' ')[1]) <= 65535)",
              self(s -> portInRange(s, 1, 32768, 65535))),
          Map.entry(
              "!has(self.netIPv4IPLocalPortRange) ||"
                  + " int(self.netIPv4IPLocalPortRange.split(' ')[0]) <="
                  + " int(self.netIPv4IPLocalPortRange.split(' ')[1])",
              self(
                  s ->
                      !s.has("netIPv4IPLocalPortRange")
                          || port(s, 0).orElse(Long.MAX_VALUE) <= port(s, 1).orElse(-1L))),
          Map.entry(
              "!has(self.linuxOSConfig) || !has(self.linuxOSConfig.swapFileSize) ||"
                  + " (has(self.kubelet) && has(self.kubelet.failSwapOn) &&"
                  + " self.kubelet.failSwapOn == false)",
              self(
                  s ->
                      !s.path("linuxOSConfig").has("swapFileSize")
                          || (s.path("kubelet").has("failSwapOn")
                              && !s.path("kubelet").get("failSwapOn").asBoolean(true)))),
          // FIPS / TrustedLaunch / image family (AKSNodeClass spec)
          Map.entry(
              "has(self.fipsMode) && self.fipsMode == 'FIPS' ? (has(self.imageFamily) &&"
                  + " self.imageFamily != 'Ubuntu2404') : true",
              self(s -> !fips(s) || (s.has("imageFamily") && !family(s, "Ubuntu2404")))),
          Map.entry(
              "has(self.fipsMode) && self.fipsMode == 'FIPS' ? (has(self.imageFamily) &&"
                  + " (self.imageFamily != 'Ubuntu2204' || (has(self.security) &&"
                  + " has(self.security.trustedLaunch) && ((has(self.security.trustedLaunch.vtpm) &&"
                  + " self.security.trustedLaunch.vtpm) || (has(self.security.trustedLaunch.secureBoot)"
                  + " && self.security.trustedLaunch.secureBoot))))) : true",
              self(
                  s ->
                      !fips(s)
                          || (s.has("imageFamily")
                              && (!family(s, "Ubuntu2204") || trustedLaunch(s))))),
          Map.entry(
              "has(self.fipsMode) && self.fipsMode == 'FIPS' && has(self.security) &&"
                  + " has(self.security.trustedLaunch) && ((has(self.security.trustedLaunch.vtpm) &&"
                  + " self.security.trustedLaunch.vtpm) || (has(self.security.trustedLaunch.secureBoot)"
                  + " && self.security.trustedLaunch.secureBoot)) ? (!has(self.imageFamily) ||"
                  + " self.imageFamily == 'Ubuntu' || self.imageFamily == 'Ubuntu2204') : true",
              self(
                  s ->
                      !(fips(s) && trustedLaunch(s))
                          || !s.has("imageFamily")
                          || family(s, "Ubuntu")
                          || family(s, "Ubuntu2204"))),
          Map.entry(
              "['.', 'cluster.local'].all(z, self.exists(x, x.zone == z))",
              self(s -> hasZone(s, ".") && hasZone(s, "cluster.local"))),
          Map.entry(
              "!self.exists(x, x.zone == '.' && x.forwardDestination == 'ClusterCoreDNS')",
              eachElement(
                  x ->
                      !(x.path("zone").asText().equals(".")
                          && x.path("forwardDestination").asText().equals("ClusterCoreDNS")))),
          Map.entry(
              "!self.exists(x, x.zone != '.' && !x.zone.endsWith('cluster.local') &&"
                  + " x.forwardDestination == 'ClusterCoreDNS')",
              eachElement(
                  x ->
                      !(!x.path("zone").asText().equals(".")
                          && !x.path("zone").asText().endsWith("cluster.local")
                          && x.path("forwardDestination").asText().equals("ClusterCoreDNS")))),
          Map.entry(
              "!(self.zone.endsWith('cluster.local') && self.forwardDestination == 'VnetDNS')",
              self(
                  s ->
                      !(s.path("zone").asText().endsWith("cluster.local")
                          && s.path("forwardDestination").asText().equals("VnetDNS")))),
          Map.entry(
              "!(self.serveStale == 'Verify' && self.protocol == 'ForceTCP')",
              self(
                  s ->
                      !(s.path("serveStale").asText().equals("Verify")
                          && s.path("protocol").asText().equals("ForceTCP")))),
          // --- GCENodeClass
          Map.entry(
              "self.all(x, has(x.alias) || has(x.id))",
              eachElement(x -> x.has("alias") || x.has("id"))),
          Map.entry("self.all(k, k != '')", eachKey(k -> !k.isEmpty())),
          Map.entry(
              "self.all(k, !k.startsWith('kubernetes.io/cluster') )",
              eachKey(k -> !k.startsWith("kubernetes.io/cluster"))),
          Map.entry(
              "self.all(k, k != 'karpenter.sh/nodepool')",
              eachKey(k -> !k.equals("karpenter.sh/nodepool"))));

  private CelRules() {}

  /** The check for a rule, or empty if the rule is unknown (and so not enforced here). */
  static Optional<Check> find(String rule) {
    return Optional.ofNullable(CHECKS.get(rule));
  }

  /** Whether a rule compares with the stored object, which file validation cannot do. */
  public static boolean isTransitionRule(String rule) {
    return rule.contains("oldSelf");
  }

  /** Whether {@code dovetail validate} enforces this rule. */
  public static boolean isImplemented(String rule) {
    return CHECKS.containsKey(rule);
  }

  /** Every rule text implemented here. */
  public static Set<String> implementedRules() {
    return CHECKS.keySet();
  }

  // CEL's find("^([^/]+)") takes the label domain (or the whole key when there is no '/');
  // endsWith without a dot is upstream's rule, so "fookarpenter.sh/x" is restricted too.
  private static boolean notInKarpenterDomain(String key) {
    if (key.equals("karpenter.sh/capacity-type") || key.equals("karpenter.sh/nodepool")) {
      return true;
    }
    Matcher m = Pattern.compile("^([^/]+)").matcher(key);
    String domain = m.find() ? m.group() : "";
    return !domain.endsWith("karpenter.sh");
  }

  private static boolean fips(JsonNode spec) {
    return "FIPS".equals(spec.path("fipsMode").asText(null));
  }

  private static boolean family(JsonNode spec, String family) {
    return family.equals(spec.path("imageFamily").asText(null));
  }

  /** AKSNodeClass: trusted launch asked for (vTPM or secure boot true). */
  private static boolean trustedLaunch(JsonNode spec) {
    JsonNode tl = spec.path("security").path("trustedLaunch");
    return tl.path("vtpm").asBoolean(false) || tl.path("secureBoot").asBoolean(false);
  }

  private static boolean op(JsonNode requirement, String operator) {
    return operator.equals(requirement.path("operator").asText());
  }

  /** CEL {@code size()}: elements of a list or map; a missing field counts as empty. */
  private static int size(JsonNode node) {
    return node == null || node.isNull() ? 0 : node.size();
  }

  /** CEL string size counts code points, not UTF-16 units. */
  private static int celSize(String s) {
    return s.codePointCount(0, s.length());
  }

  /** CEL {@code int(string)}: a base-10 int64, or an evaluation error (empty here). */
  private static Optional<Long> celInt(JsonNode value) {
    if (value == null || !value.isTextual()) {
      return value != null && value.canConvertToLong()
          ? Optional.of(value.asLong())
          : Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(value.asText()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean lessThan(JsonNode s, String low, String high) {
    return !(s.has(low) && s.has(high)) || s.get(high).asLong() > s.get(low).asLong();
  }

  private static boolean atMost(JsonNode s, String low, String high) {
    return !(s.has(low) && s.has(high)) || s.get(low).asLong() <= s.get(high).asLong();
  }

  private static boolean hasZone(JsonNode overrides, String zone) {
    for (JsonNode x : overrides) {
      if (zone.equals(x.path("zone").asText())) {
        return true;
      }
    }
    return false;
  }

  /** Port {@code i} of a "first last" range; empty when CEL's int() would fail. */
  private static Optional<Long> port(JsonNode sysctls, int i) {
    String[] parts = sysctls.path("netIPv4IPLocalPortRange").asText().split(" ", -1);
    return i < parts.length
        ? celInt(JsonNodeFactory.instance.textNode(parts[i]))
        : Optional.empty();
  }

  private static boolean portInRange(JsonNode s, int i, long min, long max) {
    return !s.has("netIPv4IPLocalPortRange")
        || port(s, i).filter(p -> p >= min && p <= max).isPresent();
  }

  private static Check self(Predicate<JsonNode> ok) {
    return s -> ok.test(s) ? List.of() : List.of("");
  }

  private static Check eachElement(Predicate<JsonNode> ok) {
    return list -> {
      List<String> failures = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        if (!ok.test(list.get(i))) {
          failures.add("[" + i + "]");
        }
      }
      return failures;
    };
  }

  private static Check eachKey(Predicate<String> ok) {
    return eachEntry((k, v) -> ok.test(k));
  }

  private static Check eachEntry(BiPredicate<String, JsonNode> ok) {
    return map -> {
      List<String> failures = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!ok.test(e.getKey(), e.getValue())) {
          failures.add("[" + e.getKey() + "]");
        }
      }
      return failures;
    };
  }
}
