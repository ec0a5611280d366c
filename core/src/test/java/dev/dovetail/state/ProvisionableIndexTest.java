package dev.dovetail.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;

class ProvisionableIndexTest {
  private final ProvisionableIndex index = new ProvisionableIndex();

  @Test
  void holdsOnlyThePendingUnschedulablePodsHoweverManyAreBound() {
    for (int i = 0; i < 1000; i++) {
      index.update(pod("bound-" + i, "node-" + (i % 10), false));
    }
    index.update(pod("waiting", null, true));
    index.update(pod("not-yet-tried", null, false)); // the scheduler has not marked it

    assertThat(index.keys()).containsExactly("default/waiting");
  }

  @Test
  void followsAPodThroughItsLife() {
    index.update(pod("p", null, true));
    assertThat(index.keys()).containsExactly("default/p");

    index.update(pod("p", "node-a", false)); // bound
    assertThat(index.keys()).isEmpty();

    index.update(pod("q", null, true));
    index.remove(pod("q", null, true));
    assertThat(index.keys()).isEmpty();
  }

  private static Pod pod(String name, String node, boolean unschedulable) {
    return TestPods.pod(name, "100m", node, unschedulable);
  }
}
