package dev.dovetail.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which pending pods the stand-in scheduler tries in a round, kube-scheduler's queue rules. */
class SchedulingQueueTest {
  private final SchedulingQueue queue = new SchedulingQueue();
  private final List<Pod> pending = new ArrayList<>();
  private final Map<String, String> nominations = new HashMap<>();
  private long now = 1_000_000;

  private void sync() {
    queue.sync(
        pending,
        p -> nominations.get(p.getMetadata().getName()),
        p -> nominations.containsKey(p.getMetadata().getName()));
  }

  private SchedulingQueue.Batch next(boolean roomFreed, boolean podsBound, boolean nodesChanged) {
    sync();
    return queue.next(now, roomFreed, podsBound, nodesChanged);
  }

  private static List<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).toList();
  }

  /** The pod was tried and fit nowhere. */
  private void failed(String name) {
    queue.unschedulable(pending(name), now, nominations.get(name));
  }

  private Pod pending(String name) {
    return pending.stream()
        .filter(p -> p.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aNewPodIsTriedAtOnceAndAPodThatFitNowhereWaitsForAnEvent() {
    pending.add(pod("a", "uid-a"));
    assertThat(names(next(false, false, false).everywhere())).containsExactly("a");
    failed("a");

    assertThat(next(false, false, false).isEmpty()).isTrue();
    assertThat(queue.isUnschedulable(pending("a"))).isTrue();
  }

  @Test
  void nodesAddedOrChangedTryTheWaitingPodsOnThoseNodesOnly() {
    pending.add(pod("a", "uid-a"));
    next(false, false, false);
    failed("a");
    pending.add(pod("b", "uid-b"));

    SchedulingQueue.Batch batch = next(false, false, true);

    assertThat(names(batch.onChangedNodes())).containsExactly("a");
    assertThat(names(batch.everywhere())).containsExactly("b"); // new: every node
  }

  @Test
  void roomFreedOrAFlushTriesTheWaitingPodsOnEveryNode() {
    pending.add(pod("a", "uid-a"));
    next(false, false, false);
    failed("a");
    assertThat(names(next(true, false, false).everywhere())).containsExactly("a");
    failed("a");

    now += SchedulingQueue.FLUSH.toMillis() - 1;
    assertThat(next(false, false, false).isEmpty()).isTrue();
    now += 1;
    assertThat(names(next(false, false, false).everywhere())).containsExactly("a");
  }

  @Test
  void aFailedRetryOnChangedNodesKeepsItsPlaceInTheFlushOrder() {
    pending.add(pod("a", "uid-a"));
    next(false, false, false);
    failed("a");
    now += SchedulingQueue.FLUSH.toMillis() / 2;
    next(false, false, true);
    failed("a");
    now += SchedulingQueue.FLUSH.toMillis() / 2;

    assertThat(names(next(false, false, false).everywhere())).containsExactly("a");
  }

  @Test
  void podsBoundMoveOnlyThePodsWhoseFitDependsOnOtherPods() {
    pending.add(pod("plain", "uid-1"));
    Pod spread =
        new PodBuilder(pod("spread", "uid-2"))
            .editSpec()
            .addNewTopologySpreadConstraint()
            .withMaxSkew(1)
            .withTopologyKey("topology.kubernetes.io/zone")
            .withWhenUnsatisfiable("DoNotSchedule")
            .endTopologySpreadConstraint()
            .endSpec()
            .build();
    pending.add(spread);
    next(false, false, false);
    failed("plain");
    failed("spread");

    assertThat(names(next(false, true, false).everywhere())).containsExactly("spread");
  }

  @Test
  void aChangedSpecMovesTheWaitingPodAStatusOnlyChangeDoesNot() {
    Pod a = pod("a", "uid-a");
    pending.add(a);
    next(false, false, false);
    failed("a");

    // The binder's own mark: a new instance, same spec.
    pending.set(
        0,
        new PodBuilder(a)
            .editOrNewStatus()
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .endCondition()
            .endStatus()
            .build());
    assertThat(next(false, false, false).isEmpty()).isTrue();

    pending.set(
        0, new PodBuilder(a).editMetadata().addToLabels("tier", "gold").endMetadata().build());
    assertThat(names(next(false, false, false).everywhere())).containsExactly("a");
  }

  @Test
  void aPodRecreatedUnderItsNameIsNew() {
    pending.add(pod("a", "uid-1"));
    next(false, false, false);
    failed("a");
    pending.set(0, pod("a", "uid-2"));

    assertThat(names(next(false, false, false).everywhere())).containsExactly("a");
  }

  @Test
  void aWaitingPodThatGainsANominationIsTriedAtOnce() {
    pending.add(pod("a", "uid-a"));
    next(false, false, false);
    failed("a");
    nominations.put("a", "launched");

    assertThat(names(next(false, false, false).everywhere())).containsExactly("a");
    failed("a"); // it does not fit its nominated node either: the same nomination moves it no more
    assertThat(next(false, false, false).isEmpty()).isTrue();
  }

  @Test
  void aPodBeingBoundIsCountedOnItsNodeUntilTheCacheShowsItBoundOrItsBindingFails() {
    Pod a = pod("a", "uid-a");
    pending.add(a);
    next(false, false, false);
    queue.assume(a, "node-1");

    assertThat(next(true, true, true).isEmpty()).isTrue(); // not tried while being bound
    assertThat(queue.assumed()).containsOnlyKeys("node-1");
    assertThat(queue.assumed().get("node-1")).containsExactly(a);

    queue.bindingFailed(a);
    sync();
    assertThat(queue.assumed()).isEmpty();
    assertThat(names(queue.next(now, false, false, false).everywhere())).containsExactly("a");

    queue.assume(a, "node-1");
    pending.clear(); // the cache shows it bound: no longer pending
    sync();
    assertThat(queue.assumed()).isEmpty();
    assertThat(queue.size()).isZero();
  }

  private static Pod pod(String name, String uid) {
    Pod p = SchedulingCycleTest.pod(name, "1");
    p.getMetadata().setUid(uid);
    return p;
  }
}
