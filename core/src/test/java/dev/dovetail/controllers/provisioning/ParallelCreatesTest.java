package dev.dovetail.controllers.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.kube.TokenBucket;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ParallelCreatesTest {

  /** A limiter that never waits: these tests are about outcomes, not pace. */
  private static TokenBucket unlimited() {
    return new TokenBucket(1, Integer.MAX_VALUE, () -> 0L, nanos -> {});
  }

  private static List<NodeClaim> claims(int n) {
    List<NodeClaim> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      NodeClaim c = new NodeClaim();
      c.setMetadata(new ObjectMetaBuilder().withName("c" + i).build());
      out.add(c);
    }
    return out;
  }

  @Test
  void oneFailedCreateNeitherStopsNorLosesTheOthers() {
    try (ParallelCreates creates = new ParallelCreates(4, unlimited())) {
      List<ParallelCreates.Outcome> outcomes =
          creates.createAll(
              claims(10),
              c -> {
                if (c.getMetadata().getName().equals("c3")) {
                  throw new IllegalStateException("409 Conflict");
                }
                return c;
              });

      assertThat(outcomes).hasSize(10);
      for (int i = 0; i < 10; i++) {
        ParallelCreates.Outcome o = outcomes.get(i);
        assertThat(o.requested().getMetadata().getName()).isEqualTo("c" + i); // in order
        assertThat(o.created()).isEqualTo(i != 3);
      }
      assertThat(outcomes.get(3).failure()).hasMessageContaining("409");
      assertThat(outcomes.get(3).stored()).isNull();
      assertThat(outcomes.get(9).stored()).isSameAs(outcomes.get(9).requested());
    }
  }

  @Test
  void createsAreInFlightTogetherUpToTheBound() throws Exception {
    int bound = 4;
    // Each create waits until `bound` creates are in flight at once: one at a time never gets
    // there (the latch times out and the create fails).
    CountDownLatch together = new CountDownLatch(bound);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    try (ParallelCreates creates = new ParallelCreates(bound, unlimited())) {
      List<ParallelCreates.Outcome> outcomes =
          creates.createAll(
              claims(12),
              c -> {
                most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                together.countDown();
                try {
                  if (!together.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never " + bound + " in flight together");
                  }
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                } finally {
                  inFlight.decrementAndGet();
                }
                return c;
              });

      assertThat(outcomes).allMatch(ParallelCreates.Outcome::created);
      assertThat(most.get()).isEqualTo(bound);
    }
  }

  @Test
  void everyCreatePassesTheRateLimiter() {
    // Fake time: a bucket of one token at one per second; each wait advances the time it asks for.
    AtomicLong now = new AtomicLong();
    AtomicInteger waits = new AtomicInteger();
    TokenBucket oneAtATime =
        new TokenBucket(
            1,
            1,
            now::get,
            nanos -> {
              waits.incrementAndGet();
              now.addAndGet(nanos);
            });
    try (ParallelCreates creates = new ParallelCreates(2, oneAtATime)) {
      assertThat(creates.createAll(claims(3), c -> c)).allMatch(ParallelCreates.Outcome::created);
    }
    assertThat(waits.get()).isEqualTo(2); // the burst's one token, then a wait for each of two
    assertThat(now.get()).isGreaterThanOrEqualTo(2_000_000_000L);
  }
}
