package dev.dovetail.apis.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The generated karpenter.sh CRDs carry upstream's shape: scope, defaults, enums, rules. */
class KarpenterCrdTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static JsonNode crd(String name) throws IOException {
    try (InputStream in =
        KarpenterCrdTest.class.getResourceAsStream("/META-INF/fabric8/" + name + "-v1.yml")) {
      assertThat(in).as(name).isNotNull();
      return YAML.readTree(in);
    }
  }

  @Test
  void nodePoolSchemaHasUpstreamDefaultsAndValidation() throws IOException {
    JsonNode crd = crd("nodepools.karpenter.sh");
    assertThat(crd.at("/spec/scope").asText()).isEqualTo("Cluster");
    assertThat(crd.at("/spec/names/categories/0").asText()).isEqualTo("karpenter");
    JsonNode version = crd.at("/spec/versions/0");
    assertThat(version.at("/subresources/scale/specReplicasPath").asText())
        .isEqualTo(".spec.replicas");
    assertThat(version.at("/subresources/scale/statusReplicasPath").asText())
        .isEqualTo(".status.nodes");
    assertThat(version.path("additionalPrinterColumns").findValuesAsText("name"))
        .contains("NodeClass", "Nodes", "Ready", "Age", "Weight", "CPU", "Memory");
    JsonNode spec = version.at("/schema/openAPIV3Schema/properties/spec");
    JsonNode disruption = spec.at("/properties/disruption");
    assertThat(disruption.at("/properties/consolidationPolicy/default").asText())
        .isEqualTo("WhenEmptyOrUnderutilized");
    assertThat(disruption.at("/properties/consolidationPolicy/enum").toString())
        .contains("WhenEmpty", "WhenEmptyOrUnderutilized", "Balanced");
    assertThat(disruption.at("/properties/consolidateAfter/default").asText()).isEqualTo("0s");
    assertThat(disruption.at("/properties/budgets/default/0/nodes").asText()).isEqualTo("10%");
    assertThat(disruption.at("/properties/budgets/maxItems").asInt()).isEqualTo(50);
    JsonNode templateSpec = spec.at("/properties/template/properties/spec");
    assertThat(templateSpec.at("/properties/expireAfter/default").asText()).isEqualTo("720h");
    JsonNode requirements = templateSpec.at("/properties/requirements");
    assertThat(requirements.at("/maxItems").asInt()).isEqualTo(100);
    assertThat(requirements.at("/items/properties/operator/enum").toString())
        .contains("\"Gte\"", "\"Lte\"", "\"In\"", "\"DoesNotExist\"");
    assertThat(requirements.at("/items/properties/minValues/minimum").asInt()).isEqualTo(1);
    assertThat(requirements.at("/items/properties/minValues/maximum").asInt()).isEqualTo(50);
    assertThat(requirements.path("x-kubernetes-validations").findValuesAsText("rule"))
        .contains(RequirementRules.MIN_VALUES_RULE, RequirementRules.NO_NODEPOOL_KEY_RULE);
    assertThat(spec.path("x-kubernetes-validations").findValuesAsText("message"))
        .contains("'weight' is not supported on static NodePools");
    assertThat(templateSpec.at("/properties/taints/items/properties/effect/enum").toString())
        .contains("NoSchedule", "PreferNoSchedule", "NoExecute");
  }

  @Test
  void nodeClaimSpecIsImmutableAndMayNameItsNodePool() throws IOException {
    JsonNode crd = crd("nodeclaims.karpenter.sh");
    JsonNode spec = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
    assertThat(spec.path("x-kubernetes-validations").findValuesAsText("rule"))
        .containsExactly("self == oldSelf");
    assertThat(
            spec.at("/properties/requirements/x-kubernetes-validations").findValuesAsText("rule"))
        .doesNotContain(RequirementRules.NO_NODEPOOL_KEY_RULE);
    assertThat(crd.at("/spec/versions/0/additionalPrinterColumns").findValuesAsText("name"))
        .contains("Type", "Capacity", "Zone", "Node", "Ready", "ID", "NodePool", "Drifted");
  }
}
