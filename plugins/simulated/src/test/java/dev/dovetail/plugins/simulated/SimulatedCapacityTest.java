package dev.dovetail.plugins.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.cloudprovider.CreateException;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The choice of offering, the capacity faults and the memory of recent failures on their own. */
class SimulatedCapacityTest {
  private static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");
  private static final Duration TTL = Duration.ofMinutes(3);

  private static final InstanceType SMALL =
      type(
          "small",
          2,
          new Offering("a", "spot", 0.02, true),
          new Offering("b", "spot", 0.03, true),
          new Offering("a", "on-demand", 0.10, true));
  private static final InstanceType LARGE = type("large", 8, new Offering("a", "spot", 0.08, true));
  private static final List<InstanceType> ALL = List.of(SMALL, LARGE);

  private final SimulatedCapacity capacity = new SimulatedCapacity();

  @Test
  void theCheapestSpotOfferingThatFitsIsChosen() {
    assertThat(choose(claim(Resources.of("cpu", 1000L))).key())
        .isEqualTo(new OfferingKey("small", "a", "spot"));
    assertThat(choose(claim(Resources.of("cpu", 4000L))).key())
        .isEqualTo(new OfferingKey("large", "a", "spot"));
    assertThat(
            choose(
                    claim(
                        Resources.EMPTY,
                        Requirement.in(
                            WellKnownLabels.CAPACITY_TYPE,
                            WellKnownLabels.CAPACITY_TYPE_ON_DEMAND)))
                .key())
        .isEqualTo(new OfferingKey("small", "a", "on-demand"));
  }

  @Test
  void aFaultedOfferingIsRememberedAsUnavailableAndTheNextCheapestTaken() {
    OfferingKey cheapest = new OfferingKey("small", "a", "spot");
    capacity.fail(List.of(OfferingPattern.of(cheapest)));

    assertThat(choose(claim(Resources.EMPTY)).key())
        .isEqualTo(new OfferingKey("small", "b", "spot"));
    assertThat(offering(capacity.withAvailability(ALL, NOW), cheapest).available()).isFalse();
    // until the cache's time is up
    assertThat(capacity.withAvailability(ALL, NOW.plus(TTL))).isSameAs(ALL);
  }

  @Test
  void restoringAnOfferingForgetsItsFailure() {
    OfferingKey cheapest = new OfferingKey("small", "a", "spot");
    capacity.fail(List.of(OfferingPattern.of(cheapest)));
    choose(claim(Resources.EMPTY));

    capacity.restore(cheapest);

    assertThat(capacity.isFaulted(cheapest)).isFalse();
    assertThat(capacity.withAvailability(ALL, NOW)).isSameAs(ALL);
    assertThat(choose(claim(Resources.EMPTY)).key()).isEqualTo(cheapest);
  }

  @Test
  void everySpotOfferingOutOfCapacityFailsOnceThenTheClaimFallsBackToOnDemand() {
    capacity.fail(List.of(OfferingPattern.parse("*/*/spot")));

    assertThatThrownBy(() -> choose(claim(Resources.EMPTY)))
        .isInstanceOf(InsufficientCapacityException.class)
        .hasMessageContaining("insufficient spot capacity for NodeClaim c");
    // spot remembered as unavailable: the retry takes on-demand, as Karpenter's launches do
    assertThat(choose(claim(Resources.EMPTY)).key())
        .isEqualTo(new OfferingKey("small", "a", "on-demand"));
  }

  @Test
  void everyOfferingRememberedAsUnavailableIsRefusedWithoutATry() {
    capacity.fail(List.of(OfferingPattern.parse("*/*/*")));
    assertThatThrownBy(() -> choose(claim(Resources.EMPTY)))
        .isInstanceOf(InsufficientCapacityException.class);
    assertThatThrownBy(() -> choose(claim(Resources.EMPTY)))
        .isInstanceOf(InsufficientCapacityException.class);

    assertThatThrownBy(() -> choose(claim(Resources.EMPTY)))
        .isInstanceOf(InsufficientCapacityException.class)
        .hasMessageContaining("all offerings for NodeClaim c are unavailable");
  }

  @Test
  void noTypeThatFitsIsACreateErrorNamingTheCatalog() {
    assertThatThrownBy(() -> choose(claim(Resources.of("cpu", 64000L))))
        .isInstanceOf(CreateException.class)
        .hasMessageContaining("no instance type of the test catalog among all types");
  }

  private SimulatedCapacity.Candidate choose(NodeClaimView claim) {
    return capacity.choose(claim, ALL, null, "test", NOW, TTL);
  }

  private static NodeClaimView claim(Resources requests, Requirement... reqs) {
    return new NodeClaimView(
        "c",
        "default",
        null,
        null,
        null,
        null,
        Requirements.of(reqs),
        requests,
        null,
        null,
        null,
        null);
  }

  private static InstanceType type(String name, long cpus, Offering... offerings) {
    return new InstanceType(
        name,
        Requirements.of(Requirement.in(WellKnownLabels.INSTANCE_TYPE, name)),
        List.of(offerings),
        Resources.of("cpu", cpus * 1000),
        null);
  }

  private static Offering offering(List<InstanceType> types, OfferingKey key) {
    return types.stream()
        .filter(t -> t.name().equals(key.instanceType()))
        .flatMap(t -> t.offerings().stream())
        .filter(o -> o.key(key.instanceType()).equals(key))
        .findFirst()
        .orElseThrow();
  }
}
