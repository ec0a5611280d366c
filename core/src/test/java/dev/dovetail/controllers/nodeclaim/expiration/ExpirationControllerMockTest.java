package dev.dovetail.controllers.nodeclaim.expiration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.controllers.disruption.FakeCluster;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExpirationControllerMockTest {
  private final FakeCluster c = new FakeCluster();

  @AfterEach
  void close() {
    c.close();
  }

  private ExpirationController controller() {
    return new ExpirationController(
        c.client,
        c.state,
        c.events,
        c.clock,
        ExpirationController.Options.DEFAULT,
        ExpirationController.Listener.NONE);
  }

  private void expireAfter(String node, String value) {
    c.client
        .resources(NodeClaim.class)
        .withName("claim-" + node)
        .edit(
            nc -> {
              nc.getSpec().setExpireAfter(value);
              return nc;
            });
    c.await(
        () -> value.equals(c.state.nodeClaim("claim-" + node).get().getSpec().getExpireAfter()),
        "expireAfter");
  }

  @Test
  void expiredNodeClaimsAreDeletedRegardlessOfBudgets() {
    c.pool("0", "on-demand"); // a budget of 0 blocks every voluntary disruption, not expiration
    String n = c.node("m5.large", "on-demand");
    c.pod(n, "1");
    expireAfter(n, "1h");
    ExpirationController expiration = controller();
    assertThat(expiration.reconcileOnce()).isEmpty();
    assertThat(c.claimExists(n)).isTrue();

    c.clock.advance(Duration.ofHours(2));
    assertThat(expiration.reconcileOnce()).containsExactly("claim-" + n);
    c.await(() -> !c.claimExists(n), "expired NodeClaim deleted");
  }

  @Test
  void neverAndInvalidExpireAfterAreLeftAlone() {
    c.pool("100%", "on-demand");
    String never = c.node("m5.large", "on-demand");
    expireAfter(never, "Never");
    c.clock.advance(Duration.ofDays(3650));
    assertThat(controller().reconcileOnce()).isEmpty();
    assertThat(c.claimExists(never)).isTrue();
  }

  @Test
  void anUnparseableExpireAfterIsReportedNotSilentlySkipped() {
    c.pool("100%", "on-demand");
    String n = c.node("m5.large", "on-demand");
    expireAfter(n, "soon");
    c.clock.advance(Duration.ofDays(3650));
    assertThat(controller().reconcileOnce()).isEmpty();
    assertThat(c.eventReasons())
        .anyMatch(e -> e.startsWith("InvalidExpireAfter") && e.contains("'soon'"));
    assertThat(c.claimExists(n)).isTrue();
  }

  @Test
  void theDisruptionPassNoLongerExpires() {
    c.pool("0", "on-demand");
    String n = c.node("m5.large", "on-demand");
    c.pod(n, "1");
    expireAfter(n, "1h");
    c.clock.advance(Duration.ofHours(2));
    c.controller(Duration.ZERO).reconcileOnce();
    assertThat(c.claimExists(n)).isTrue(); // expiration is its own controller now
  }

  @Test
  void idlePassesReadNoNodeClaimUntilOneChangesOrExpires() {
    c.pool("100%", "on-demand");
    String n = c.node("m5.large", "on-demand");
    String other = c.node("m5.large", "on-demand");
    long edited = c.state.generation();
    expireAfter(n, "3h");
    c.awaitEvents(edited, 1); // the edit's event reached the listeners
    ExpirationController expiration = controller();
    assertThat(expiration.reconcileOnce()).isEmpty();
    assertThat(expiration.checks()).isEqualTo(1);
    for (int i = 0; i < 5; i++) {
      c.clock.advance(Duration.ofSeconds(10));
      assertThat(expiration.reconcileOnce()).isEmpty();
    }
    assertThat(expiration.checks()).as("nothing changed, nothing due").isEqualTo(1);

    long before = c.state.generation();
    expireAfter(other, "1h"); // a change: checked again, and expires within the hour
    c.awaitEvents(before, 1);
    assertThat(expiration.reconcileOnce()).isEmpty();
    assertThat(expiration.checks()).isEqualTo(2);

    c.clock.advance(Duration.ofMinutes(61)); // its expiry is due without any event
    assertThat(expiration.reconcileOnce()).containsExactly("claim-" + other);
    assertThat(expiration.checks()).isEqualTo(3);
  }
}
