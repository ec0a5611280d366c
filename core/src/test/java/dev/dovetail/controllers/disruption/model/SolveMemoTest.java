package dev.dovetail.controllers.disruption.model;

import static dev.dovetail.controllers.disruption.model.PlannerFixture.GI;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.NodePoolTemplate;
import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingInput;
import dev.dovetail.scheduling.SchedulingOptions;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.scheduling.SchedulingResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A remembered answer is given back only while the engine would answer the same: every hit below is
 * compared with a fresh solve of the same input.
 */
class SolveMemoTest {
  private final Scheduler scheduler = new Scheduler();
  private final SolveMemo memo = new SolveMemo();
  private PlannerFixture f;
  private List<NodePoolTemplate> pools;
  private List<SchedulingPod> moving;
  private List<ExistingNode> nodes;

  @BeforeEach
  void cluster() {
    f = new PlannerFixture();
    f.node("roomy", "m.2xl", "on-demand", f.pods(1, 3000, GI)); // 1 core left
    f.node("tight", "m.1xl", "on-demand", f.pods(1, 1500, GI)); // 500m left
    f.node("full", "m.1xl", "on-demand", f.pods(2, 1000, GI));
    ClusterModel m = f.model();
    pools = m.nodePools();
    nodes = m.nodes();
    // one small pod fits "roomy"; the two 1500m pods fit no node and need new capacity
    moving = new ArrayList<>(f.pods(1, 500, GI));
    moving.addAll(f.pods(2, 1500, 2 * GI));
  }

  @Test
  void sameWalkedNodesAndNoRoomAfterThemGiveTheRememberedAnswer() {
    SchedulingResult first = remember(nodes);
    assertThat(first.placements()).containsOnlyKeys(moving.get(0).id());
    assertThat(first.newNodeClaims()).isNotEmpty();

    // a node after the walked one changes (still no room for the 1500m pods): same answer
    List<ExistingNode> changed = new ArrayList<>(nodes);
    changed.set(1, withRequested(nodes.get(1), 1700));
    assertHit(changed);
    // so does appending a node whose only room is for pods that were placed anyway
    List<ExistingNode> appended = new ArrayList<>(nodes);
    appended.add(added("small", "m.1xl", f.pods(1, 1400, GI)));
    assertHit(appended);
  }

  @Test
  void aChangedWalkedNodeOrRoomForALeftOverPodIsAskedAgain() {
    remember(nodes);

    List<ExistingNode> walkedChanged = new ArrayList<>(nodes);
    walkedChanged.set(0, withRequested(nodes.get(0), 3000)); // same values, another object
    assertThat(memo.get(moving, walkedChanged, pools, SchedulingOptions.DEFAULT)).isNull();

    List<ExistingNode> roomForLeftOver = new ArrayList<>(nodes);
    roomForLeftOver.add(added("big", "m.4xl", List.of()));
    SchedulingResult fresh = solve(roomForLeftOver);
    assertThat(fresh.placements()).hasSizeGreaterThan(1); // the engine does use it
    assertThat(memo.get(moving, roomForLeftOver, pools, SchedulingOptions.DEFAULT)).isNull();

    List<ExistingNode> removed = new ArrayList<>(nodes.subList(1, nodes.size()));
    assertThat(memo.get(moving, removed, pools, SchedulingOptions.DEFAULT)).isNull();
  }

  @Test
  void aNodeWithRoomButNoPodSlotLeftIsNoRoom() {
    remember(nodes);
    // cpu and memory for a 1500m pod, but every pod slot taken: the engine cannot use it
    ExistingNode big = added("big", "m.4xl", List.of());
    ExistingNode noSlot =
        new ExistingNode(
            big.name(),
            big.labels(),
            big.taints(),
            big.allocatable(),
            Resources.of(Resources.PODS, big.allocatable().get(Resources.PODS)),
            big.pods(),
            false,
            false,
            big.nodePool());
    List<ExistingNode> withNoSlot = new ArrayList<>(nodes);
    withNoSlot.add(noSlot);
    assertHit(withNoSlot);
  }

  @Test
  void otherPodsPoolsOrOptionsAreAskedAgain() {
    remember(nodes);
    assertThat(memo.get(List.copyOf(moving.subList(0, 2)), nodes, pools, SchedulingOptions.DEFAULT))
        .isNull();
    List<SchedulingPod> equalButNotSame = new ArrayList<>();
    for (SchedulingPod p : moving) {
      equalButNotSame.add(p.toBuilder().build());
    }
    // pods are told apart by identity: a candidate's pods are the same objects from one model to
    // the next
    assertThat(memo.get(equalButNotSame, nodes, pools, SchedulingOptions.DEFAULT)).isNull();
    assertThat(memo.get(moving, nodes, List.of(), SchedulingOptions.DEFAULT)).isNull();
    assertThat(
            memo.get(moving, nodes, pools, SchedulingOptions.DEFAULT.withIgnorePreferences(true)))
        .isNull();
  }

  private SchedulingResult remember(List<ExistingNode> on) {
    SchedulingResult r = solve(on);
    memo.put(moving, on, pools, SchedulingOptions.DEFAULT, r);
    assertThat(memo.get(moving, on, pools, SchedulingOptions.DEFAULT)).isSameAs(r);
    return r;
  }

  private void assertHit(List<ExistingNode> on) {
    SchedulingResult known = memo.get(moving, on, pools, SchedulingOptions.DEFAULT);
    assertThat(known).isNotNull();
    assertThat(known).isEqualTo(solve(on));
  }

  private SchedulingResult solve(List<ExistingNode> on) {
    return scheduler.solve(new SchedulingInput(moving, on, pools, SchedulingOptions.DEFAULT));
  }

  /** A node made by the fixture but not in {@code nodes}. */
  private ExistingNode added(String name, String type, List<SchedulingPod> pods) {
    f.node(name, type, "on-demand", pods);
    return f.nodes.get(f.nodes.size() - 1);
  }

  private static ExistingNode withRequested(ExistingNode n, long cpuMillis) {
    return new ExistingNode(
        n.name(),
        n.labels(),
        n.taints(),
        n.allocatable(),
        Resources.of(
            Resources.CPU,
            cpuMillis,
            Resources.MEMORY,
            n.requested().get(Resources.MEMORY),
            Resources.PODS,
            n.requested().get(Resources.PODS)),
        n.pods(),
        n.inFlight(),
        n.markedForDeletion(),
        n.nodePool());
  }
}
