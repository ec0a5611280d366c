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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every CEL rule of the shipped CRDs is evaluated by cel-java with Kubernetes' semantics. */
class CelRulesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private final CelRules cel = new CelRules();

  @Test
  void everyRuleOfEveryShippedCrdCompiles() throws IOException {
    TreeSet<String> broken = new TreeSet<>();
    int rules = 0;
    try (Stream<Path> crds = Files.list(RepoPaths.root().resolve("charts/dovetail/crds"))) {
      for (Path crd : crds.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        for (String rule : rules(crd)) {
          rules++;
          cel.compileError(rule)
              .ifPresent(e -> broken.add(crd.getFileName() + ": " + rule + ": " + e));
        }
      }
    }
    assertThat(rules).isGreaterThan(50);
    assertThat(broken).as("CEL rules that do not compile").isEmpty();
  }

  @Test
  void karpenterDomainRuleFollowsUpstreamsCel() {
    String rule =
        "self in [\"karpenter.sh/capacity-type\", \"karpenter.sh/nodepool\"] ||"
            + " !self.find(\"^([^/]+)\").endsWith(\"karpenter.sh\")";
    assertThat(eval(rule, "\"karpenter.sh/capacity-type\""))
        .isInstanceOf(CelRules.Outcome.Passed.class);
    assertThat(eval(rule, "\"karpenter.sh/nodepool\"")).isInstanceOf(CelRules.Outcome.Passed.class);
    assertThat(eval(rule, "\"example.com/karpenter.sh\""))
        .isInstanceOf(CelRules.Outcome.Passed.class);
    assertThat(eval(rule, "\"karpenter.sh/other\"")).isInstanceOf(CelRules.Outcome.Failed.class);
    assertThat(eval(rule, "\"sub.karpenter.sh/other\""))
        .isInstanceOf(CelRules.Outcome.Failed.class);
    assertThat(eval(rule, "\"karpenter.sh\"")).isInstanceOf(CelRules.Outcome.Failed.class);
  }

  @Test
  void numericOperatorsNeedOneNonNegativeInteger() {
    String rule =
        "self.all(x, (x.operator == 'Gt' || x.operator == 'Lt' || x.operator == 'Gte' ||"
            + " x.operator == 'Lte') ? (x.values.size() == 1 && int(x.values[0]) >= 0) : true)";
    assertThat(
            eval(
                rule,
                "[{\"key\":\"a\",\"operator\":\"Gt\",\"values\":[\"0\"]},"
                    + "{\"key\":\"a\",\"operator\":\"Lte\",\"values\":[\"12\"]},"
                    + "{\"key\":\"a\",\"operator\":\"In\",\"values\":[\"x\"]}]"))
        .isInstanceOf(CelRules.Outcome.Passed.class);
    assertThat(eval(rule, "[{\"key\":\"a\",\"operator\":\"Lt\",\"values\":[]}]"))
        .isInstanceOf(CelRules.Outcome.Failed.class);
    assertThat(eval(rule, "[{\"key\":\"a\",\"operator\":\"Gt\",\"values\":[\"-3\"]}]"))
        .isInstanceOf(CelRules.Outcome.Failed.class);
    // int("1.5") is a runtime error; the API server rejects the object, and so do we.
    assertThat(eval(rule, "[{\"key\":\"a\",\"operator\":\"Gte\",\"values\":[\"1.5\"]}]"))
        .isInstanceOf(CelRules.Outcome.Error.class);
  }

  @Test
  void stringAndListExtensionsAreAvailable() {
    assertThat(eval("self.split('@')[0] in ['al2023', 'bottlerocket']", "\"al2023@latest\""))
        .isInstanceOf(CelRules.Outcome.Passed.class);
    assertThat(eval("self.lowerAscii() == 'abc'", "\"AbC\""))
        .isInstanceOf(CelRules.Outcome.Passed.class);
    assertThat(eval("self.findAll('[0-9]+').size() == 2", "\"a1b22\""))
        .isInstanceOf(CelRules.Outcome.Passed.class);
    assertThat(eval("self.all(k, isQuantity(self[k]))", "{\"cpu\":\"100m\",\"memory\":\"1Gi\"}"))
        .isInstanceOf(CelRules.Outcome.Passed.class);
    assertThat(eval("self.all(k, isQuantity(self[k]))", "{\"cpu\":\"lots\"}"))
        .isInstanceOf(CelRules.Outcome.Failed.class);
  }

  @Test
  void transitionRulesApplyOnlyToUpdates() throws IOException {
    String rule = "self == oldSelf";
    assertThat(cel.evaluate(rule, JSON.readTree("\"a\""), null))
        .isInstanceOf(CelRules.Outcome.Passed.class);
    assertThat(cel.evaluate(rule, JSON.readTree("\"a\""), JSON.readTree("\"a\"")))
        .isInstanceOf(CelRules.Outcome.Passed.class);
    assertThat(cel.evaluate(rule, JSON.readTree("\"a\""), JSON.readTree("\"b\"")))
        .isInstanceOf(CelRules.Outcome.Failed.class);
    assertThat(
            cel.evaluate(
                "has(self.replicas) == has(oldSelf.replicas)",
                JSON.readTree("{\"replicas\":1}"),
                JSON.readTree("{}")))
        .isInstanceOf(CelRules.Outcome.Failed.class);
  }

  @Test
  void integersAndDoublesCompareAsTheApiServerDoes() {
    assertThat(
            eval(
                "has(self.imageGCHighThresholdPercent) && has(self.imageGCLowThresholdPercent) ?"
                    + " self.imageGCHighThresholdPercent > self.imageGCLowThresholdPercent : true",
                "{\"imageGCHighThresholdPercent\":80,\"imageGCLowThresholdPercent\":85}"))
        .isInstanceOf(CelRules.Outcome.Failed.class);
    assertThat(eval("self.x > 1", "{\"x\":1.5}")).isInstanceOf(CelRules.Outcome.Passed.class);
  }

  @Test
  void aRuleThatDoesNotCompileIsAnErrorNotAPass() {
    assertThat(cel.compileError("self.(")).isPresent();
    assertThat(eval("self.(", "1")).isInstanceOf(CelRules.Outcome.Error.class);
  }

  private CelRules.Outcome eval(String rule, String json) {
    try {
      return cel.evaluate(rule, JSON.readTree(json), null);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
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
