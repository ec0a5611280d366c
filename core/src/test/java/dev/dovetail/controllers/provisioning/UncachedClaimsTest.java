package dev.dovetail.controllers.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClaimSpec;
import dev.dovetail.apis.v1.NodeClaimStatus;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.testkit.MutableClock;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UncachedClaimsTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));
  private final UncachedClaims uncached = new UncachedClaims(clock, Duration.ofMinutes(2));
  private final Map<String, NodeClaim> cache = new HashMap<>();

  private Map<String, Resources> reserved() {
    return uncached.notYetCached(name -> Optional.ofNullable(cache.get(name))).reservedByPool();
  }

  private void event(String name) {
    uncached.observed(name, Optional.ofNullable(cache.get(name)));
  }

  @Test
  void claimsTheCacheDoesNotHoldReserveTheirPoolsLimits() {
    uncached.creating(planned("a"), "pool", cpu(4000));
    uncached.creating(planned("b"), "pool", cpu(2000));
    uncached.creating(planned("c"), "other", cpu(1000));

    assertThat(reserved().get("pool").get("cpu")).isEqualTo(6000L);
    assertThat(reserved().get("other").get("cpu")).isEqualTo(1000L);
  }

  @Test
  void aCachedClaimNotLaunchedYetReservesWhatTheCacheDoesNotCountOfIt() {
    uncached.creating(planned("a"), "pool", cpu(4000).add(Resources.of("nodes", 1L)));
    cache.put("a", claim("a", "1500m", null)); // the cache counts its requests and one node
    event("a");

    Resources r = reserved().get("pool");
    assertThat(r.get("cpu")).isEqualTo(2500L);
    assertThat(r.get("nodes")).isZero();
  }

  @Test
  void onceCachedTheCreatedCopyIsNoLongerHeldNorListedAsInFlight() {
    uncached.creating(planned("a"), "pool", cpu(4000));
    cache.put("a", claim("a", "1500m", null));
    event("a"); // ADD: cached, not launched yet

    // The cache's copy is the one a pass reads; the record keeps only the reservation.
    cache.remove("a"); // dropped by the cache, its DELETE event not handed out yet
    UncachedClaims.NotYetCached seen =
        uncached.notYetCached(name -> Optional.ofNullable(cache.get(name)));
    assertThat(seen.claims()).as("the created copy was let go").isEmpty();
    assertThat(seen.reservedByPool()).isEmpty();
    event("a"); // DELETE
    assertThat(uncached.size()).isZero();
  }

  @Test
  void aLaunchedClaimIsCountedByTheCacheAloneAndForgotten() {
    uncached.creating(planned("a"), "pool", cpu(4000));
    cache.put("a", claim("a", "1500m", "4"));
    event("a");
    assertThat(reserved()).isEmpty();

    // Forgotten: the cache dropping it later (deleted) does not bring the reservation back.
    cache.remove("a");
    assertThat(reserved()).isEmpty();
    assertThat(uncached.size()).isZero();
  }

  @Test
  void aClaimDeletedBeforeAnyPassSawItInTheCacheReleasesTheLimitOnItsDeleteEvent() {
    uncached.creating(planned("ice"), "pool", cpu(4000));
    cache.put("ice", claim("ice", "1500m", null));
    event("ice"); // ADD: not launched, kept
    cache.remove("ice");
    event("ice"); // DELETE: gone

    assertThat(reserved()).isEmpty();
    assertThat(uncached.size()).isZero();
  }

  @Test
  void aFailedCreateReservesNothing() {
    uncached.creating(planned("a"), "pool", cpu(4000));
    uncached.createFailed("a");

    assertThat(reserved()).isEmpty();
  }

  @Test
  void anEventForAnotherNameChangesNothing() {
    uncached.creating(planned("a"), "pool", cpu(4000));
    event("someone-elses");

    assertThat(reserved().get("pool").get("cpu")).isEqualTo(4000L);
  }

  @Test
  void aClaimWhoseEventsNeverCameStopsReservingAfterTheTtl() {
    uncached.creating(planned("lost"), "pool", cpu(4000));
    clock.advance(Duration.ofMinutes(2).plusSeconds(1));

    assertThat(reserved()).isEmpty();
  }

  /** A claim as the provisioner builds it: its pods request nothing here, to keep sums simple. */
  private static NodeClaim planned(String name) {
    return claim(name, "0", null);
  }

  private static Resources cpu(long millis) {
    return Resources.of("cpu", millis);
  }

  private static NodeClaim claim(String name, String requestedCpu, String capacityCpu) {
    NodeClaim c = new NodeClaim();
    c.setMetadata(new ObjectMetaBuilder().withName(name).build());
    NodeClaimSpec spec = new NodeClaimSpec();
    NodeClaimSpec.ResourceRequirements rr = new NodeClaimSpec.ResourceRequirements();
    rr.setRequests(Map.of("cpu", new Quantity(requestedCpu)));
    spec.setResources(rr);
    c.setSpec(spec);
    if (capacityCpu != null) {
      NodeClaimStatus status = new NodeClaimStatus();
      status.setCapacity(Map.of("cpu", new Quantity(capacityCpu)));
      c.setStatus(status);
    }
    return c;
  }
}
