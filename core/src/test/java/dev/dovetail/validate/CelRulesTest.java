package dev.dovetail.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The validator enforces every CEL rule of the CRDs this repository generates. */
class CelRulesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * CRDs whose rules must all be enforced (other plugins' CRDs may add rules core does not know).
   */
  private static final List<String> COVERED =
      List.of(
          "karpenter.sh_nodepools.yaml",
          "karpenter.sh_nodeclaims.yaml",
          "karpenter.azure.com_aksnodeclasses.yaml",
          "karpenter.cluster.x-k8s.io_clusterapinodeclasses.yaml");

  @Test
  void everyRuleOfTheShippedCrdsIsImplementedOrATransitionRule() throws IOException {
    TreeSet<String> missing = new TreeSet<>();
    int rules = 0;
    for (String name : COVERED) {
      for (String rule : rules(RepoPaths.root().resolve("charts/dovetail/crds").resolve(name))) {
        rules++;
        if (!CelRules.isTransitionRule(rule) && !CelRules.isImplemented(rule)) {
          missing.add(name + ": " + rule);
        }
      }
    }
    assertThat(rules).isGreaterThan(20);
    assertThat(missing).as("CEL rules without a Java implementation in CelRules").isEmpty();
  }

  @Test
  void karpenterDomainRuleFollowsUpstreamsCel() {
    CelRules.Check check =
        CelRules.find(
                "self in [\"karpenter.sh/capacity-type\", \"karpenter.sh/nodepool\"] ||"
                    + " !self.find(\"^([^/]+)\").endsWith(\"karpenter.sh\")")
            .orElseThrow();
    assertThat(check.failures(JSON.getNodeFactory().textNode("karpenter.sh/capacity-type")))
        .isEmpty();
    assertThat(check.failures(JSON.getNodeFactory().textNode("karpenter.sh/nodepool"))).isEmpty();
    assertThat(check.failures(JSON.getNodeFactory().textNode("example.com/karpenter.sh")))
        .isEmpty();
    assertThat(check.failures(JSON.getNodeFactory().textNode("karpenter.sh/other")))
        .containsExactly("");
    assertThat(check.failures(JSON.getNodeFactory().textNode("sub.karpenter.sh/other")))
        .containsExactly("");
    assertThat(check.failures(JSON.getNodeFactory().textNode("karpenter.sh"))).containsExactly("");
  }

  @Test
  void numericOperatorsNeedOneNonNegativeInteger() throws IOException {
    CelRules.Check check =
        CelRules.find(
                "self.all(x, (x.operator == 'Gt' || x.operator == 'Lt' || x.operator == 'Gte' ||"
                    + " x.operator == 'Lte') ? (x.values.size() == 1 && int(x.values[0]) >= 0) :"
                    + " true)")
            .orElseThrow();
    JsonNode requirements =
        JSON.readTree(
            """
            [{"key":"a","operator":"Gt","values":["0"]},
             {"key":"a","operator":"Lte","values":["12"]},
             {"key":"a","operator":"Gte","values":["1.5"]},
             {"key":"a","operator":"Lt","values":[]},
             {"key":"a","operator":"Gt","values":["-3"]},
             {"key":"a","operator":"In","values":["x"]}]
            """);
    assertThat(check.failures(requirements)).containsExactly("[2]", "[3]", "[4]");
  }

  private static List<String> rules(Path crd) throws IOException {
    List<String> rules = new ArrayList<>();
    collect(YAML.readTree(Files.readString(crd)), rules);
    return rules;
  }

  private static void collect(JsonNode node, List<String> rules) {
    if (node.isObject()) {
      for (JsonNode v : node.path("x-kubernetes-validations")) {
        rules.add(v.path("rule").asText());
      }
    }
    node.forEach(child -> collect(child, rules));
  }
}
