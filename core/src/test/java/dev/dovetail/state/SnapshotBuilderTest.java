package dev.dovetail.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.controllers.Harness;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.translate.PodTranslations;
import dev.dovetail.translate.PodTranslator;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The snapshot a pass builds, and what it keeps from the pass before: every build must read the
 * cluster as a fresh builder would, reusing only the views of nodes and claims that did not change.
 */
class SnapshotBuilderTest {
  private static final long GI = 1L << 30;

  /** A cluster held in lists, changed by the test between builds. */
  private static final class Cluster implements ClusterView {
    final List<Node> nodes = new ArrayList<>();
    final List<Pod> pods = new ArrayList<>();
    final List<NodeClaim> claims = new ArrayList<>();
    final Map<Pod, String> nominations = new HashMap<>();

    @Override
    public List<Pod> pods() {
      return pods;
    }

    @Override
    public List<Pod> podsOn(String nodeName) {
      return pods.stream().filter(p -> nodeName.equals(p.getSpec().getNodeName())).toList();
    }

    @Override
    public List<Node> nodes() {
      return nodes;
    }

    @Override
    public List<NodeClaim> nodeClaims() {
      return claims;
    }

    @Override
    public List<NodePool> nodePools() {
      return List.of();
    }

    @Override
    public List<DaemonSet> daemonSets() {
      return List.of();
    }

    @Override
    public Optional<ClusterState.Nomination> nomination(Pod pod) {
      String target = nominations.get(pod);
      return target == null
          ? Optional.empty()
          : Optional.of(new ClusterState.Nomination(target, Instant.EPOCH, Instant.MAX));
    }
  }

  private final Cluster cluster = new Cluster();
  private final PodTranslator translator = new PodTranslator(new PodTranslations());
  // The facade only lists instance types, which these builds are handed.
  private final SnapshotBuilder memoised = new SnapshotBuilder(cluster, null, translator);

  private static InstanceType type(String name, int cores, long memGi) {
    return new InstanceType(
        name,
        Requirements.of(Requirement.in(WellKnownLabels.INSTANCE_TYPE, name)),
        List.of(new Offering("zone-a", "on-demand", 0.1 * cores, true)),
        Resources.of(Resources.CPU, cores * 1000L, Resources.MEMORY, memGi * GI, "pods", 110L),
        null);
  }

  private static Node node(String name) {
    Node n = Harness.node(name, "sim://" + name);
    n.setStatus(
        new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
            .withAllocatable(Map.of("cpu", new Quantity("4"), "pods", new Quantity("110")))
            .build());
    return n;
  }

  private static Pod bound(String name, String node, String cpu) {
    Pod p = Harness.podBuilder(name, cpu, "64Mi").build();
    p.getSpec().setNodeName(node);
    p.getMetadata().setUid("uid-" + name);
    p.getMetadata().setResourceVersion("1");
    return p;
  }

  private static NodeClaim claim(String name, String... options) {
    NodeClaim c = Harness.nodeClaim(name, null);
    c.getSpec().setRequirements(List.of(Harness.req(WellKnownLabels.INSTANCE_TYPE, "In", options)));
    return c;
  }

  private ClusterSnapshot build(List<InstanceType> types) {
    return memoised.build(Map.of("default", types));
  }

  private ClusterSnapshot fresh(List<InstanceType> types) {
    return new SnapshotBuilder(cluster, null, translator).build(Map.of("default", types));
  }

  private static ExistingNode existing(ClusterSnapshot s, String name) {
    return s.existingNodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void anUnchangedNodeIsReusedAndAChangedOneReadAgain() {
    List<InstanceType> types = List.of(type("small", 2, 4));
    cluster.nodes.add(node("a"));
    cluster.nodes.add(node("b"));
    cluster.pods.add(bound("p1", "a", "1"));
    cluster.pods.add(bound("p2", "b", "1"));

    ClusterSnapshot first = build(types);
    // a pod binds to b; a is untouched
    cluster.pods.add(bound("p3", "b", "500m"));
    ClusterSnapshot second = build(types);

    assertThat(existing(second, "a")).isSameAs(existing(first, "a"));
    assertThat(existing(second, "b")).isNotSameAs(existing(first, "b"));
    assertThat(existing(second, "b").requested().get(Resources.CPU)).isEqualTo(1_500L);
    assertThat(second.existingNodes()).isEqualTo(fresh(types).existingNodes());

    // a new version of a pod on a (the informer holds a new object) is read again
    Pod resized = bound("p1", "a", "2");
    resized.getMetadata().setResourceVersion("2");
    cluster.pods.set(0, resized);
    ClusterSnapshot third = build(types);
    assertThat(existing(third, "a").requested().get(Resources.CPU)).isEqualTo(2_000L);
    assertThat(third.existingNodes()).isEqualTo(fresh(types).existingNodes());

    // the same version in a new object (an informer's relist): kept, as it is the same pod
    Pod relisted = bound("p1", "a", "2");
    relisted.getMetadata().setResourceVersion("2");
    cluster.pods.set(0, relisted);
    assertThat(existing(build(types), "a")).isSameAs(existing(third, "a"));
  }

  @Test
  void aNodeWithAPodWhoseTranslationReadsMoreThanThePodIsNeverReused() {
    List<InstanceType> types = List.of(type("small", 2, 4));
    cluster.nodes.add(node("a"));
    Pod withClaim = bound("db", "a", "1");
    withClaim
        .getSpec()
        .setVolumes(
            List.of(
                new io.fabric8.kubernetes.api.model.VolumeBuilder()
                    .withName("data")
                    .withNewPersistentVolumeClaim()
                    .withClaimName("data")
                    .endPersistentVolumeClaim()
                    .build()));
    cluster.pods.add(withClaim);

    ExistingNode first = existing(build(types), "a");
    ExistingNode second = existing(build(types), "a");

    // its volume's topology may change without the pod: read each pass
    assertThat(second).isNotSameAs(first).isEqualTo(first);
  }

  @Test
  void anInFlightClaimIsSizedAgainWhenItOrItsPoolsTypesChange() {
    cluster.claims.add(claim("c1", "small", "large"));
    List<InstanceType> types = List.of(type("small", 2, 4), type("large", 8, 32));

    ExistingNode first = existing(build(types), "c1");
    assertThat(first.allocatable().get(Resources.CPU)).isEqualTo(2_000L);
    // the same types in a new list (as a provider hands them each pass): kept
    assertThat(existing(build(new ArrayList<>(types)), "c1")).isSameAs(first);

    // the catalog shrinks "small" (an overlay, a new kube-reserved): sized again
    List<InstanceType> resized = List.of(type("small", 1, 4), type("large", 8, 32));
    assertThat(existing(build(resized), "c1").allocatable().get(Resources.CPU)).isEqualTo(1_000L);

    // the claim launches and reports its allocatable (a new object): read again
    NodeClaim launched = claim("c1", "small", "large");
    launched.setStatus(new dev.dovetail.apis.v1.NodeClaimStatus());
    launched.getStatus().setAllocatable(Map.of("cpu", new Quantity("7")));
    launched.getStatus().setCapacity(Map.of("cpu", new Quantity("8")));
    cluster.claims.set(0, launched);
    ClusterSnapshot afterLaunch = build(resized);
    assertThat(existing(afterLaunch, "c1").allocatable().get(Resources.CPU)).isEqualTo(7_000L);
    // and its pool's usage counts its capacity now, not its requests
    assertThat(afterLaunch.usage("default").get(Resources.CPU)).isEqualTo(8_000L);
    assertThat(afterLaunch.existingNodes()).isEqualTo(fresh(resized).existingNodes());
  }

  @Test
  void podsNominatedToAClaimOccupyItWithoutChangingItsKeptShape() {
    cluster.claims.add(claim("c1", "small"));
    List<InstanceType> types = List.of(type("small", 2, 4));
    ExistingNode empty = existing(build(types), "c1");

    Pod pending = Harness.pendingPod("web", "750m", "64Mi");
    cluster.pods.add(pending);
    cluster.nominations.put(pending, "c1");
    ExistingNode planned = existing(build(types), "c1");
    assertThat(planned.requested().get(Resources.CPU)).isEqualTo(750L);
    assertThat(planned.pods()).hasSize(1);

    // the pod is gone: the claim is as empty as it was
    cluster.pods.clear();
    cluster.nominations.clear();
    assertThat(existing(build(types), "c1")).isSameAs(empty);
  }
}
