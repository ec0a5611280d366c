package dev.dovetail.cloudprovider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequirementTest {
  private static final String K = "example.com/k";

  @Test
  void inAndNotInIntersectToTheDifference() {
    Requirement in = Requirement.in(K, "a", "b", "c");
    Requirement notIn = Requirement.of(K, Operator.NotIn, "b");
    Requirement both = in.intersect(notIn);
    assertThat(both.operator()).isEqualTo(Operator.In);
    assertThat(both.values()).containsExactly("a", "c");
    assertThat(notIn.intersect(in)).isEqualTo(both);
  }

  @Test
  void disjointInSetsAreEmpty() {
    assertThat(Requirement.in(K, "a").intersects(Requirement.in(K, "b"))).isFalse();
    assertThat(Requirement.in(K, "a").intersect(Requirement.in(K, "b")).operator())
        .isEqualTo(Operator.DoesNotExist);
  }

  @Test
  void existsAndDoesNotExist() {
    Requirement exists = Requirement.exists(K);
    assertThat(exists.has("anything")).isTrue();
    assertThat(exists.intersects(Requirement.in(K, "x"))).isTrue();
    assertThat(exists.intersects(Requirement.doesNotExist(K))).isFalse();
    assertThat(Requirement.doesNotExist(K).isEmpty()).isTrue();
  }

  @Test
  void numericBoundsIncludingGteAndLte() {
    Requirement gt = Requirement.of(K, Operator.Gt, "4");
    Requirement lte = Requirement.of(K, Operator.Lte, "8");
    assertThat(gt.has("4")).isFalse();
    assertThat(gt.has("5")).isTrue();
    assertThat(gt.has("five")).isFalse();
    Requirement range = gt.intersect(lte);
    assertThat(range.has("5")).isTrue();
    assertThat(range.has("8")).isTrue();
    assertThat(range.has("9")).isFalse();
    assertThat(Requirement.of(K, Operator.Gte, "4").has("4")).isTrue();
    assertThat(gt.intersect(Requirement.of(K, Operator.Lt, "5")).isEmpty()).isTrue();
    assertThat(range.intersect(Requirement.in(K, "2", "6", "10")).values()).containsExactly("6");
  }

  @Test
  void boundsNeedOneInteger() {
    assertThatThrownBy(() -> Requirement.of(K, Operator.Gt, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an integer");
    assertThatThrownBy(() -> Requirement.of(K, Operator.Lt, List.of("1", "2"), null))
        .hasMessageContaining("exactly one");
  }

  @Test
  void minValuesTakesTheLarger() {
    Requirement a = Requirement.of(K, Operator.In, List.of("a", "b", "c"), 2);
    Requirement b = Requirement.of(K, Operator.Exists, List.of(), 3);
    assertThat(a.intersect(b).minValues()).isEqualTo(3);
  }

  @Test
  void expressionsRoundTrip() {
    Requirement range =
        Requirement.of(K, Operator.Gt, "1").intersect(Requirement.of(K, Operator.NotIn, "3"));
    List<Requirement.Expression> exprs = range.toExpressions();
    Requirement back =
        exprs.stream()
            .map(e -> Requirement.of(e.key(), e.operator(), e.values(), e.minValues()))
            .reduce(Requirement::intersect)
            .orElseThrow();
    for (String v : List.of("0", "1", "2", "3", "4", "x")) {
      assertThat(back.has(v)).as(v).isEqualTo(range.has(v));
    }
  }

  @Test
  void requirementsCompatibilityTreatsUndefinedKeysAsAbsentLabels() {
    Requirements node = Requirements.of(Requirement.in("arch", "amd64", "arm64"));
    assertThat(node.isCompatible(Requirements.of(Requirement.in("arch", "arm64")), Set.of()))
        .isTrue();
    assertThat(node.isCompatible(Requirements.of(Requirement.in("arch", "s390x")), Set.of()))
        .isFalse();
    // a label the node does not have: In fails, NotIn and DoesNotExist pass
    assertThat(node.compatible(Requirements.of(Requirement.in("gpu", "yes")), Set.of()))
        .hasValueSatisfying(m -> assertThat(m).contains("gpu"));
    assertThat(
            node.isCompatible(
                Requirements.of(Requirement.of("gpu", Operator.NotIn, "yes")), Set.of()))
        .isTrue();
    assertThat(node.isCompatible(Requirements.of(Requirement.doesNotExist("gpu")), Set.of()))
        .isTrue();
    // unless the key is one the provider fills in later
    assertThat(node.isCompatible(Requirements.of(Requirement.in("zone", "z1")), Set.of("zone")))
        .isTrue();
  }

  @Test
  void requirementsMatchLabels() {
    Requirements r =
        Requirements.of(
            Requirement.in("arch", "amd64"),
            Requirement.of("gpu", Operator.DoesNotExist),
            Requirement.of("team", Operator.NotIn, "x"),
            Requirement.of("cpu", Operator.Gte, "4"));
    assertThat(r.matches(Map.of("arch", "amd64", "cpu", "4"))).isTrue();
    assertThat(r.matches(Map.of("arch", "amd64", "cpu", "2"))).isFalse();
    assertThat(r.matches(Map.of("arch", "amd64", "cpu", "8", "gpu", "1"))).isFalse();
    assertThat(r.matches(Map.of("arch", "amd64", "cpu", "8", "team", "x"))).isFalse();
    assertThat(r.matches(Map.of("arch", "arm64", "cpu", "8"))).isFalse();
    assertThat(r.matches(Map.of("arch", "amd64"))).isFalse();
    assertThat(Requirements.of(Requirement.exists("a")).matches(Map.of())).isFalse();
  }

  @Test
  void sameKeyRequirementsAreIntersectedWhenCombined() {
    Requirements r =
        Requirements.of(Requirement.in("zone", "a", "b")).and(Requirement.in("zone", "b", "c"));
    assertThat(r.get("zone").values()).containsExactly("b");
    assertThat(r.singleValueLabels()).containsEntry("zone", "b");
  }

  @Test
  void notInAndDoesNotExistNeverConflict() {
    Requirements node = Requirements.of(Requirement.doesNotExist("gpu"));
    assertThat(node.isCompatible(Requirements.of(Requirement.doesNotExist("gpu")), Set.of()))
        .isTrue();
    assertThat(
            node.isCompatible(
                Requirements.of(Requirement.of("gpu", Operator.NotIn, "a")), Set.of()))
        .isTrue();
    assertThat(node.isCompatible(Requirements.of(Requirement.in("gpu", "a")), Set.of())).isFalse();
  }

  @Test
  void settingsMatchIgnoringCaseAndSeparators() {
    ProviderContext ctx =
        new ProviderContext(
            "c",
            Map.of("subscriptionid", "s", "region", "r"),
            java.time.Clock.systemUTC(),
            NodeRegistrar.NONE,
            InterruptionListener.IGNORE);
    assertThat(ctx.setting("region")).hasValue("r");
    assertThat(ctx.setting("subscriptionID")).hasValue("s");
    assertThat(ctx.setting("SUBSCRIPTION_ID")).hasValue("s");
    assertThat(ctx.setting("zone")).isEmpty();
  }
}
