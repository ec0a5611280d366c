package dev.dovetail.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one label-selector matcher, with the API server's semantics. */
class SelectorsMatchTest {
  private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front");

  private static LabelSelector expr(String key, String op, String... values) {
    return new LabelSelectorBuilder()
        .addNewMatchExpression()
        .withKey(key)
        .withOperator(op)
        .withValues(values.length == 0 ? null : List.of(values))
        .endMatchExpression()
        .build();
  }

  @Test
  void aNullSelectorSelectsNothingAndAnEmptyOneEverything() {
    assertThat(Selectors.matches(null, WEB)).isFalse();
    assertThat(Selectors.matches(null, Map.of())).isFalse();
    assertThat(Selectors.matches(new LabelSelector(), WEB)).isTrue();
    assertThat(Selectors.matches(new LabelSelector(), Map.of())).isTrue();
    assertThat(Selectors.matches(new LabelSelector(), null)).isTrue();
    assertThat(Selectors.matches(new LabelSelector(List.of(), Map.of()), WEB)).isTrue();
  }

  @Test
  void matchLabelsNeedsEveryPairWithTheSameValue() {
    LabelSelector s = new LabelSelectorBuilder().withMatchLabels(Map.of("app", "web")).build();
    assertThat(Selectors.matches(s, WEB)).isTrue();
    assertThat(Selectors.matches(s, Map.of("app", "db"))).isFalse();
    assertThat(Selectors.matches(s, Map.of("tier", "front"))).isFalse();
    LabelSelector two =
        new LabelSelectorBuilder().withMatchLabels(Map.of("app", "web", "tier", "back")).build();
    assertThat(Selectors.matches(two, WEB)).isFalse();
  }

  @Test
  void inNeedsThePresentLabelToHaveOneOfTheValues() {
    assertThat(Selectors.matches(expr("app", "In", "web", "api"), WEB)).isTrue();
    assertThat(Selectors.matches(expr("app", "In", "db"), WEB)).isFalse();
    assertThat(Selectors.matches(expr("zone", "In", "a"), WEB)).isFalse();
  }

  @Test
  void notInAcceptsAnAbsentLabelOrOneWithNoneOfTheValues() {
    assertThat(Selectors.matches(expr("app", "NotIn", "db"), WEB)).isTrue();
    assertThat(Selectors.matches(expr("app", "NotIn", "web"), WEB)).isFalse();
    assertThat(Selectors.matches(expr("zone", "NotIn", "a"), WEB)).isTrue();
  }

  @Test
  void existsAndDoesNotExistLookOnlyAtTheKey() {
    assertThat(Selectors.matches(expr("app", "Exists"), WEB)).isTrue();
    assertThat(Selectors.matches(expr("zone", "Exists"), WEB)).isFalse();
    assertThat(Selectors.matches(expr("zone", "DoesNotExist"), WEB)).isTrue();
    assertThat(Selectors.matches(expr("app", "DoesNotExist"), WEB)).isFalse();
    assertThat(Selectors.matches(expr("empty", "Exists"), Map.of("empty", ""))).isTrue();
  }

  @Test
  void everyRequirementMustHoldAndAnUnknownOperatorSelectsNothing() {
    LabelSelector both =
        new LabelSelectorBuilder()
            .withMatchLabels(Map.of("app", "web"))
            .addNewMatchExpression()
            .withKey("tier")
            .withOperator("NotIn")
            .withValues("front")
            .endMatchExpression()
            .build();
    assertThat(Selectors.matches(both, WEB)).isFalse();
    assertThat(Selectors.matches(both, Map.of("app", "web", "tier", "back"))).isTrue();
    assertThat(Selectors.matches(expr("app", "Gt", "1"), WEB)).isFalse();
    assertThat(Selectors.matches(expr("app", null), WEB)).isFalse();
  }
}
