package dev.dovetail.gcp;

import static dev.dovetail.gcp.Claims.capacity;
import static dev.dovetail.gcp.Claims.claim;
import static dev.dovetail.gcp.Claims.types;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InterruptionEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPOT preemptions (compute.instances.preempted operations) become SPI interruption events. */
class PreemptionWireMockTest {
  private final List<InterruptionEvent> events = new CopyOnWriteArrayList<>();
  private final AtomicBoolean refuse = new AtomicBoolean();
  private GcpCloudProvider provider;

  @BeforeEach
  void start() {
    GceWireMock.reset();
    provider =
        GceWireMock.start(
            e -> {
              if (refuse.get()) {
                throw new IllegalStateException("core not ready");
              }
              events.add(e);
            });
  }

  @AfterEach
  void stop() {
    provider.close();
  }

  @Test
  void aPreemptionIsReportedOnce() {
    Instance i =
        provider.create(
            claim("s1", GceWireMock.nodeClass(), types("n2-standard-4"), capacity("spot")));
    assertThat(provider.preemptions().pollOnce()).isZero();
    GceWireMock.GCE.preempt(i.zone(), "s1");
    assertThat(provider.preemptions().pollOnce()).isEqualTo(1);
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(InterruptionEvent.Kind.SPOT_INTERRUPTION);
              assertThat(e.providerId()).isEqualTo(i.providerId());
            });
    assertThat(provider.preemptions().pollOnce()).isZero();
    assertThat(events).hasSize(1);
  }

  @Test
  void anUnhandledPreemptionIsReportedAgain() {
    Instance i =
        provider.create(
            claim("s2", GceWireMock.nodeClass(), types("n2-standard-4"), capacity("spot")));
    GceWireMock.GCE.preempt(i.zone(), "s2");
    refuse.set(true);
    assertThat(provider.preemptions().pollOnce()).isZero();
    refuse.set(false);
    assertThat(provider.preemptions().pollOnce()).isEqualTo(1);
    assertThat(events).extracting(InterruptionEvent::providerId).containsExactly(i.providerId());
  }
}
