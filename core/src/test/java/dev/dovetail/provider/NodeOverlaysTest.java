package dev.dovetail.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.apis.v1alpha1.NodeOverlay;
import dev.dovetail.apis.v1alpha1.NodeOverlayRequirement;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeOverlaysTest {
  private static final InstanceType M5 = type("m5.large", "m5");
  private static final InstanceType C5 = type("c5.large", "c5");

  private static InstanceType type(String name, String family) {
    return new InstanceType(
        name,
        Requirements.of(
            Requirement.in(WellKnownLabels.INSTANCE_TYPE, name),
            Requirement.in("karpenter.k8s.aws/instance-family", family)),
        List.of(
            new Offering("zone-a", "on-demand", 0.10, true),
            new Offering("zone-a", "spot", 0.04, true)),
        Resources.of(Resources.CPU, 2000L, Resources.MEMORY, 8L << 30, Resources.PODS, 29L),
        null);
  }

  static NodeOverlay overlay(
      String name, Integer weight, String price, String adjustment, NodeOverlayRequirement... r) {
    NodeOverlay o = new NodeOverlay();
    o.setMetadata(new ObjectMetaBuilder().withName(name).build());
    o.getSpec().requirements = List.of(r);
    o.getSpec().price = price;
    o.getSpec().priceAdjustment = adjustment;
    o.getSpec().weight = weight;
    return o;
  }

  static NodeOverlayRequirement req(String key, String op, String... values) {
    return new NodeOverlayRequirement(key, op, List.of(values));
  }

  private static double price(List<InstanceType> types, String type, String capacityType) {
    return types.stream()
        .filter(t -> t.name().equals(type))
        .flatMap(t -> t.offerings().stream())
        .filter(o -> o.capacityType().equals(capacityType))
        .findFirst()
        .orElseThrow()
        .price();
  }

  private static List<InstanceType> apply(NodeOverlay... overlays) {
    return new NodeOverlays(List.of(overlays).stream().map(NodeOverlays::parse).toList())
        .apply("default", Map.of("team", "blue"), List.of(M5, C5));
  }

  @Test
  void percentAdjustmentOnlyOnMatchingOfferings() {
    // e.g. a Savings Plan: 28% off on-demand m5
    var out =
        apply(
            overlay(
                "sp",
                null,
                null,
                "-28%",
                req("karpenter.k8s.aws/instance-family", "In", "m5"),
                req(WellKnownLabels.CAPACITY_TYPE, "In", "on-demand")));
    assertThat(price(out, "m5.large", "on-demand")).isCloseTo(0.072, within());
    assertThat(price(out, "m5.large", "spot")).isEqualTo(0.04);
    assertThat(price(out, "c5.large", "on-demand")).isEqualTo(0.10);
  }

  @Test
  void absoluteAdjustmentAndPriceAndFloorAtZero() {
    var out = apply(overlay("plus", null, null, "+0.5", req("team", "In", "blue")));
    assertThat(price(out, "c5.large", "spot")).isCloseTo(0.54, within());
    out = apply(overlay("minus", null, null, "-1", req("team", "Exists")));
    assertThat(price(out, "c5.large", "on-demand")).isZero();
    out = apply(overlay("ri", null, "0.02", null, req(WellKnownLabels.NODE_POOL, "In", "default")));
    assertThat(price(out, "m5.large", "on-demand")).isEqualTo(0.02);
    out = apply(overlay("other", null, "0.02", null, req(WellKnownLabels.NODE_POOL, "In", "gpu")));
    assertThat(price(out, "m5.large", "on-demand")).isEqualTo(0.10);
  }

  @Test
  void higherWeightWinsAndEqualWeightsGoByNameLaterFirst() {
    var out =
        apply(
            overlay("a-low", 1, "0.01", null, req("team", "Exists")),
            overlay("b-high", 50, "0.03", null, req("team", "Exists")));
    assertThat(price(out, "m5.large", "on-demand")).isEqualTo(0.03);
    out =
        apply(
            overlay("a", 5, "0.01", null, req("team", "Exists")),
            overlay("z", 5, "0.05", null, req("team", "Exists")));
    assertThat(price(out, "m5.large", "on-demand")).isEqualTo(0.05);
  }

  @Test
  void capacityAddsExtendedResources() {
    NodeOverlay o =
        overlay(
            "hugepages", null, null, null, req(WellKnownLabels.INSTANCE_TYPE, "In", "c5.large"));
    o.getSpec().capacity =
        Map.of("hugepages-2Mi", new Quantity("100Mi"), "example.com/fpga", new Quantity("1"));
    var out = apply(o);
    InstanceType c5 =
        out.stream().filter(t -> t.name().equals("c5.large")).findFirst().orElseThrow();
    assertThat(c5.capacity().get("example.com/fpga")).isEqualTo(1L);
    assertThat(c5.capacity().get(Resources.CPU)).isEqualTo(2000L);
    assertThat(
            out.stream()
                .filter(t -> t.name().equals("m5.large"))
                .findFirst()
                .orElseThrow()
                .capacity()
                .get("example.com/fpga"))
        .isZero();
  }

  @Test
  void runtimeValidationNamesTheField() {
    assertThatThrownBy(() -> NodeOverlays.parse(overlay("both", null, "1", "+1%")))
        .hasMessageContaining("'price' and 'priceAdjustment'");
    assertThatThrownBy(() -> NodeOverlays.parse(overlay("pct", null, null, "-150%")))
        .hasMessageContaining("spec.priceAdjustment");
    assertThatThrownBy(
            () -> NodeOverlays.parse(overlay("op", null, "1", null, req("a", "Near", "b"))))
        .hasMessageContaining("spec.requirements[0].operator");
    NodeOverlay cpu = overlay("cpu", null, null, null);
    cpu.getSpec().capacity = Map.of("cpu", new Quantity("1"));
    assertThatThrownBy(() -> NodeOverlays.parse(cpu)).hasMessageContaining("spec.capacity.cpu");
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
