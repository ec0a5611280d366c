package dev.dovetail.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON shape {@code simulate --output json} documents: a contract, so a rename fails here. */
class SimulationJsonTest {
  @Test
  void theDocumentedFieldsArePresent() throws Exception {
    SimulationReport r =
        new SimulationReport(
            "provision",
            0.192,
            0.0,
            List.of(
                new SimulationReport.PodResult(
                    "default", "a", null, "default-0001", "m5.large", "zone-a", "on-demand", null),
                new SimulationReport.PodResult(
                    "default", "b", null, null, null, null, null, "no instance type fits")),
            List.of(
                new SimulationReport.PlannedNodeClaim(
                    "default-0001",
                    "default",
                    "m5.large",
                    "zone-a",
                    "on-demand",
                    0.096,
                    List.of("default/a"))),
            1,
            List.of(),
            List.of(),
            List.of(),
            null,
            List.of());
    JsonNode json = new ObjectMapper().valueToTree(r);
    assertThat(json.fieldNames())
        .toIterable()
        .contains("question", "costPerHour", "pods", "nodeClaims", "unschedulable");
    assertThat(json.get("pods").get(0).fieldNames())
        .toIterable()
        .containsExactly(
            "namespace",
            "name",
            "node",
            "nodeClaim",
            "instanceType",
            "zone",
            "capacityType",
            "reason");
    assertThat(json.get("pods").get(1).get("node").isNull()).isTrue();
    assertThat(json.get("pods").get(1).get("reason").asText()).isEqualTo("no instance type fits");
    assertThat(json.get("nodeClaims").get(0).fieldNames())
        .toIterable()
        .containsExactly(
            "name", "nodePool", "instanceType", "zone", "capacityType", "pricePerHour", "pods");
  }
}
