package dev.dovetail.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dovetail.azure.interruption.EvictionWatcher;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InterruptionEvent;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.cloudprovider.testkit.NodeClaims;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Spot evictions (Azure deletes the VM) become SPI interruption events, once each. */
class EvictionWatcherWireMockTest {
  private static final FakeAzure AZURE = AzureFixtures.AZURE;
  private AzureCloudProvider provider;
  private final List<InterruptionEvent> events = new ArrayList<>();
  private final AtomicBoolean coreDown = new AtomicBoolean();
  private EvictionWatcher watcher;

  @BeforeEach
  void start() {
    WireMockServer server = AzureFixtures.resetAzure();
    provider = AzureFixtures.provider(server, d -> {});
    watcher =
        new EvictionWatcher(
            provider.core().vms(),
            e -> {
              if (coreDown.get()) {
                throw new IllegalStateException("API server unavailable");
              }
              events.add(e);
            });
  }

  @AfterEach
  void stop() {
    provider.close();
  }

  private Instance launch(String name, String capacityType) {
    return provider.create(
        NodeClaims.pending(
            name,
            Requirements.of(
                Requirement.in(WellKnownLabels.INSTANCE_TYPE, "Standard_D2s_v5"),
                Requirement.in(WellKnownLabels.CAPACITY_TYPE, capacityType)),
            null,
            null,
            AzureFixtures.nodeClass()));
  }

  @Test
  void anEvictedSpotVmIsReportedOnceAndOnlyIt() {
    Instance spot = launch("e1", "spot");
    Instance onDemand = launch("e2", "on-demand");
    assertThat(watcher.poll()).isEmpty();
    AZURE.evict("aks-e1");
    assertThat(watcher.poll())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(InterruptionEvent.Kind.SPOT_INTERRUPTION);
              assertThat(e.providerId()).isEqualTo(spot.providerId());
            });
    assertThat(watcher.poll()).isEmpty();
    assertThat(events).hasSize(1);
    assertThat(onDemand.capacityType()).isEqualTo("on-demand");
  }

  @Test
  void aVmDovetailDeletedIsNoEviction() {
    Instance spot = launch("e3", "spot");
    watcher.poll();
    provider.delete(spot.providerId());
    assertThat(watcher.poll()).isEmpty();
    assertThat(events).isEmpty();
  }

  @Test
  void anEventTheCoreDidNotRecordIsReportedAgain() {
    launch("e4", "spot");
    watcher.poll();
    AZURE.evict("aks-e4");
    coreDown.set(true);
    assertThat(watcher.poll()).isEmpty();
    coreDown.set(false);
    assertThat(watcher.poll()).hasSize(1);
    assertThat(events).hasSize(1);
  }
}
