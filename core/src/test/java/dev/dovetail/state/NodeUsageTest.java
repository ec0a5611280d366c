package dev.dovetail.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Resources;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NodeUsageTest {
  private final List<Pod> onA = new ArrayList<>(List.of(pod("1"), pod("500m")));
  private final AtomicInteger scans = new AtomicInteger();
  private final NodeUsage usage =
      new NodeUsage(
          node -> {
            scans.incrementAndGet();
            return node.equals("a") ? List.copyOf(onA) : List.of();
          });

  @Test
  void aNodesPodsAreSummedOnceUntilAPodEventOnIt() {
    for (int i = 0; i < 100; i++) {
      assertThat(usage.used("a").get(Resources.CPU)).isEqualTo(1500);
    }
    assertThat(scans).hasValue(1);

    usage.invalidate("b"); // another node's event keeps a's sum
    usage.used("a");
    assertThat(scans).hasValue(1);

    onA.add(pod("2"));
    usage.invalidate("a");
    assertThat(usage.used("a").get(Resources.CPU)).isEqualTo(3500);
    assertThat(scans).hasValue(2);
  }

  @Test
  void aSumThatRacedAnEventIsNotTrusted() {
    NodeUsage racing =
        new NodeUsage(
            node -> {
              scans.incrementAndGet();
              List<Pod> seen = List.copyOf(onA);
              if (scans.get() == 1) {
                // a pod event lands while the first sum is being taken
                onA.add(pod("2"));
                invalidateLater.run();
              }
              return seen;
            });
    invalidateLater = () -> racing.invalidate("a");

    assertThat(racing.used("a").get(Resources.CPU)).isEqualTo(1500);
    assertThat(racing.used("a").get(Resources.CPU)).isEqualTo(3500);
  }

  private Runnable invalidateLater = () -> {};

  private static Pod pod(String cpu) {
    return new PodBuilder()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity(cpu)))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }
}
