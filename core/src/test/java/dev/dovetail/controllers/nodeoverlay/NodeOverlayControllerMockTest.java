package dev.dovetail.controllers.nodeoverlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1alpha1.NodeOverlay;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.controllers.disruption.FakeCluster;
import dev.dovetail.kube.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Upstream-shaped NodeOverlay manifests, validated, applied and reported in status. */
class NodeOverlayControllerMockTest {
  private final FakeCluster c = new FakeCluster();
  private final NodeOverlayController controller =
      new NodeOverlayController(
          c.client,
          c.state,
          c.cloud,
          c.clock,
          new NodeOverlayController.Options(true, Duration.ofSeconds(10)));

  @AfterEach
  void close() {
    c.close();
  }

  private void apply(String yaml) {
    c.client.resource(Serialization.unmarshal(yaml, NodeOverlay.class)).create();
  }

  private double onDemand(String type) {
    return c.cloud.instanceTypes(c.currentPool()).stream()
        .filter(t -> t.name().equals(type))
        .map(InstanceType::offerings)
        .flatMap(List::stream)
        .filter(o -> o.capacityType().equals("on-demand"))
        .findFirst()
        .orElseThrow()
        .price();
  }

  private Condition condition(String overlay, String type) {
    NodeOverlay o = c.client.resources(NodeOverlay.class).withName(overlay).get();
    return Conditions.get(o.getStatus().conditions, type).orElseThrow();
  }

  @Test
  void aSavingsPlanDiscountIsAppliedAndReady() {
    c.pool("100%", "on-demand");
    double list = onDemand("m5.large");
    apply(
        """
        apiVersion: karpenter.sh/v1alpha1
        kind: NodeOverlay
        metadata:
          name: savings-plan-m5
        spec:
          weight: 10
          requirements:
          - key: karpenter.k8s.aws/instance-family
            operator: In
            values: ["m5"]
          - key: karpenter.sh/capacity-type
            operator: In
            values: ["on-demand"]
          priceAdjustment: "-30%"
        """);
    NodeOverlayController.Result r = controller.reconcileOnce();
    assertThat(r.applied()).containsExactly("savings-plan-m5");
    assertThat(onDemand("m5.large"))
        .isCloseTo(list * 0.7, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(condition("savings-plan-m5", NodeOverlay.READY).getStatus()).isEqualTo("True");
    assertThat(condition("savings-plan-m5", NodeOverlay.VALIDATION_SUCCEEDED).getStatus())
        .isEqualTo("True");

    // Deleting the overlay restores the list price on the next pass.
    c.client.resources(NodeOverlay.class).withName("savings-plan-m5").delete();
    c.await(() -> c.client.resources(NodeOverlay.class).list().getItems().isEmpty(), "deleted");
    controller.reconcileOnce();
    assertThat(onDemand("m5.large")).isEqualTo(list);
  }

  @Test
  void equalWeightConflictsInvalidateBothAndApplyNeither() {
    c.pool("100%", "on-demand");
    double list = onDemand("m5.large");
    for (String[] o : new String[][] {{"a", "0.01"}, {"b", "0.02"}}) {
      apply(
          """
          apiVersion: karpenter.sh/v1alpha1
          kind: NodeOverlay
          metadata:
            name: %s
          spec:
            weight: 5
            requirements:
            - key: node.kubernetes.io/instance-type
              operator: In
              values: ["m5.large"]
            price: "%s"
          """
              .formatted(o[0], o[1]));
    }
    NodeOverlayController.Result r = controller.reconcileOnce();
    assertThat(r.applied()).isEmpty();
    assertThat(r.invalid()).containsOnlyKeys("a", "b");
    assertThat(condition("a", NodeOverlay.VALIDATION_SUCCEEDED).getReason()).isEqualTo("Conflict");
    assertThat(condition("b", NodeOverlay.READY).getStatus()).isEqualTo("False");
    assertThat(onDemand("m5.large")).isEqualTo(list);
  }

  @Test
  void anInvalidOverlayIsReportedAndOthersStillApply() {
    c.pool("100%", "on-demand");
    apply(
        """
        apiVersion: karpenter.sh/v1alpha1
        kind: NodeOverlay
        metadata:
          name: broken
        spec:
          requirements:
          - key: karpenter.sh/nodepool
            operator: In
            values: ["default"]
          price: "1"
          priceAdjustment: "+10%"
        """);
    apply(
        """
        apiVersion: karpenter.sh/v1alpha1
        kind: NodeOverlay
        metadata:
          name: fpga
        spec:
          requirements:
          - key: karpenter.sh/nodepool
            operator: In
            values: ["default"]
          capacity:
            example.com/fpga: "2"
        """);
    NodeOverlayController.Result r = controller.reconcileOnce();
    assertThat(r.applied()).containsExactly("fpga");
    Condition broken = condition("broken", NodeOverlay.VALIDATION_SUCCEEDED);
    assertThat(broken.getReason()).isEqualTo("RuntimeValidation");
    assertThat(broken.getMessage()).contains("'price' and 'priceAdjustment'");
    assertThat(c.cloud.instanceTypes(c.currentPool()))
        .allSatisfy(t -> assertThat(t.capacity().get("example.com/fpga")).isEqualTo(2L));
  }
}
