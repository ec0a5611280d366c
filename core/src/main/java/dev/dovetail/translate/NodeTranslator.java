package dev.dovetail.translate;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.SchedulingPod;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Nodes (with their pods) and not-yet-registered NodeClaims as engine {@link ExistingNode}s. */
public final class NodeTranslator {
  private final PodTranslator pods;

  public NodeTranslator(PodTranslator pods) {
    this.pods = pods;
  }

  public NodeTranslator() {
    this(new PodTranslator());
  }

  /**
   * A Node and the pods bound to it (terminal pods should be left out by the caller).
   *
   * @param markedForDeletion whether the caller is deleting or disrupting the node
   */
  public ExistingNode fromNode(Node node, List<Pod> podsOnNode, boolean markedForDeletion) {
    Map<String, String> labels =
        node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    List<Taint> taints = new ArrayList<>();
    boolean disrupted = false;
    if (node.getSpec() != null && node.getSpec().getTaints() != null) {
      for (io.fabric8.kubernetes.api.model.Taint t : node.getSpec().getTaints()) {
        taints.add(taint(t));
        disrupted |= Karpenter.DISRUPTED_TAINT_KEY.equals(t.getKey());
      }
    }
    Resources allocatable =
        node.getStatus() == null || node.getStatus().getAllocatable() == null
            ? Resources.EMPTY
            : Resources.of(PodTranslator.quantities(node.getStatus().getAllocatable()));
    Map<String, Long> requested = new HashMap<>();
    List<SchedulingPod> engine = new ArrayList<>();
    for (Pod p : podsOnNode) {
      SchedulingPod sp = pods.translate(p);
      engine.add(sp);
      sp.requests().asMap().forEach((k, v) -> requested.merge(k, v, Long::sum));
    }
    requested.put(Resources.PODS, (long) podsOnNode.size());
    return new ExistingNode(
        node.getMetadata().getName(),
        labels,
        taints,
        allocatable,
        Resources.of(requested),
        engine,
        false,
        markedForDeletion || disrupted || node.getMetadata().getDeletionTimestamp() != null,
        labels.get(WellKnownLabels.NODE_POOL));
  }

  /**
   * A NodeClaim whose Node has not registered yet: its capacity is what it reports once launched,
   * else the smallest allocatable among its instance-type options (so nothing is over-committed).
   *
   * @param instanceTypes the NodePool's instance types by name
   * @param podsNominated pods already planned onto it
   */
  public ExistingNode fromInFlightNodeClaim(
      NodeClaim claim, Map<String, InstanceType> instanceTypes, List<SchedulingPod> podsNominated) {
    return withPods(inFlightShape(claim, instanceTypes), podsNominated);
  }

  /**
   * {@link #fromInFlightNodeClaim} with no pods planned onto it: what depends on the claim and its
   * pool's types alone, which a snapshot can keep while neither changes.
   */
  public ExistingNode inFlightShape(NodeClaim claim, Map<String, InstanceType> instanceTypes) {
    Requirements reqs = RequirementsTranslator.fromApi(claim.getSpec().getRequirements());
    Map<String, String> labels = new LinkedHashMap<>(reqs.singleValueLabels());
    if (claim.getMetadata().getLabels() != null) {
      labels.putAll(claim.getMetadata().getLabels());
    }
    List<Taint> taints = new ArrayList<>();
    if (claim.getSpec().getTaints() != null) {
      for (io.fabric8.kubernetes.api.model.Taint t : claim.getSpec().getTaints()) {
        taints.add(taint(t));
      }
    }
    Resources allocatable;
    if (claim.getStatus() != null && claim.getStatus().getAllocatable() != null) {
      allocatable = Resources.of(PodTranslator.quantities(claim.getStatus().getAllocatable()));
    } else {
      allocatable = smallestAllocatable(reqs.get(WellKnownLabels.INSTANCE_TYPE), instanceTypes);
    }
    return new ExistingNode(
        claim.getMetadata().getName(),
        labels,
        taints,
        allocatable,
        Resources.of(Map.of(Resources.PODS, 0L)),
        List.of(),
        true,
        claim.getMetadata().getDeletionTimestamp() != null,
        labels.get(WellKnownLabels.NODE_POOL));
  }

  /** The in-flight {@code shape} with {@code planned} on it, requesting what they request. */
  public static ExistingNode withPods(ExistingNode shape, List<SchedulingPod> planned) {
    Map<String, Long> requested = new HashMap<>();
    for (SchedulingPod p : planned) {
      p.requests().asMap().forEach((k, v) -> requested.merge(k, v, Long::sum));
    }
    requested.put(Resources.PODS, (long) planned.size());
    return new ExistingNode(
        shape.name(),
        shape.labels(),
        shape.taints(),
        shape.allocatable(),
        Resources.of(requested),
        planned,
        shape.inFlight(),
        shape.markedForDeletion(),
        shape.nodePool());
  }

  private static Resources smallestAllocatable(
      Requirement typeReq, Map<String, InstanceType> instanceTypes) {
    Map<String, Long> min = null;
    // A claim's instance-type requirement lists its options (60 at most): looked up by name, not
    // matched against every type of the pool (thousands of claims in flight times hundreds of
    // types were most of a 20,000-pod pass's snapshot).
    Iterable<InstanceType> candidates = instanceTypes.values();
    if (typeReq != null && !typeReq.complement()) {
      List<InstanceType> listed = new ArrayList<>();
      for (String name : typeReq.values()) {
        InstanceType it = instanceTypes.get(name);
        if (it != null) {
          listed.add(it);
        }
      }
      candidates = listed;
    }
    for (InstanceType it : candidates) {
      if (typeReq != null && !typeReq.has(it.name())) {
        continue;
      }
      Map<String, Long> a = it.allocatable().asMap();
      if (min == null) {
        min = new HashMap<>(a);
      } else {
        Map<String, Long> next = new HashMap<>();
        for (Map.Entry<String, Long> e : min.entrySet()) {
          next.put(e.getKey(), Math.min(e.getValue(), a.getOrDefault(e.getKey(), 0L)));
        }
        min = next;
      }
    }
    return min == null ? Resources.EMPTY : Resources.of(min);
  }

  static Taint taint(io.fabric8.kubernetes.api.model.Taint t) {
    return new Taint(t.getKey(), t.getValue(), t.getEffect());
  }
}
