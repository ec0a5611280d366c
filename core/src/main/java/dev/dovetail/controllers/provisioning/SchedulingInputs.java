package dev.dovetail.controllers.provisioning;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.NodePoolTemplate;
import dev.dovetail.scheduling.SchedulingInput;
import dev.dovetail.scheduling.SchedulingOptions;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.state.ClusterView;
import dev.dovetail.state.PodUtils;
import dev.dovetail.translate.DaemonSetPods;
import dev.dovetail.translate.NodePoolTranslator;
import dev.dovetail.translate.NodeTranslator;
import dev.dovetail.translate.PodTranslator;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the engine's input from the cluster state: pending pods, existing nodes and in-flight
 * NodeClaims (with the pods bound or nominated to them), and the NodePools with their instance
 * types. Only this class and {@code dev.dovetail.translate} know both worlds. The provisioner feeds
 * it the live cluster; {@code dovetail simulate} a cluster read from files.
 */
public final class SchedulingInputs {
  private final ClusterView state;
  private final CloudProviderFacade cloud;
  private static final java.util.Set<String> EPHEMERAL_TAINTS =
      java.util.Set.of(
          Karpenter.UNREGISTERED_TAINT_KEY,
          "node.kubernetes.io/not-ready",
          "node.kubernetes.io/unreachable",
          "node.kubernetes.io/network-unavailable",
          "node.cloudprovider.kubernetes.io/uninitialized");
  private final PodTranslator pods = new PodTranslator();
  private final NodeTranslator nodes = new NodeTranslator(pods);
  private final NodePoolTranslator nodePools = new NodePoolTranslator(pods);

  private final SchedulingOptions options;

  public SchedulingInputs(ClusterView state, CloudProviderFacade cloud) {
    this(state, cloud, SchedulingOptions.DEFAULT);
  }

  /**
   * @param options the engine's options for every snapshot (the run's preference and minValues
   *     policies)
   */
  public SchedulingInputs(ClusterView state, CloudProviderFacade cloud, SchedulingOptions options) {
    this.state = state;
    this.cloud = cloud;
    this.options = options;
  }

  /** The input plus the maps that lead from engine ids back to API objects. */
  public record Snapshot(
      SchedulingInput input,
      Map<String, Pod> pods,
      Map<String, NodePool> nodePools,
      Map<String, Resources> usageByPool,
      Map<NodePool, Skipped> skippedPools) {
    public Resources usage(String pool) {
      return usageByPool.getOrDefault(pool, Resources.EMPTY);
    }
  }

  /** Why a NodePool sits out this pass (its NodeClass is not Ready, its instance types failed). */
  public record Skipped(String reason, String message) {}

  public Snapshot snapshot(List<Pod> pending) {
    Map<String, Pod> podsById = new LinkedHashMap<>();
    List<SchedulingPod> schedulingPods = new ArrayList<>(pending.size());
    for (Pod p : pending) {
      SchedulingPod sp = pods.translate(p);
      podsById.put(sp.id(), p);
      schedulingPods.add(sp);
    }

    // Pods nominated to capacity that is not theirs yet still occupy it.
    Map<String, List<Pod>> nominated = new HashMap<>();
    for (Pod p : state.pods()) {
      if (!PodUtils.isBound(p) && !PodUtils.isTerminating(p)) {
        state
            .nomination(p)
            .ifPresent(n -> nominated.computeIfAbsent(n.target(), k -> new ArrayList<>()).add(p));
      }
    }

    List<ExistingNode> existingNodes = new ArrayList<>();
    Map<String, String> nodeByProviderId = new HashMap<>();
    Map<String, String> claimByProviderId = new HashMap<>();
    for (NodeClaim claim : state.nodeClaims()) {
      if (claim.getStatus() != null && claim.getStatus().getProviderID() != null) {
        claimByProviderId.put(claim.getStatus().getProviderID(), claim.getMetadata().getName());
      }
    }
    for (Node n : state.nodes()) {
      if (n.getSpec() != null && n.getSpec().getProviderID() != null) {
        nodeByProviderId.put(n.getSpec().getProviderID(), n.getMetadata().getName());
      }
      List<Pod> on = new ArrayList<>();
      for (Pod p : state.podsOn(n.getMetadata().getName())) {
        if (!PodUtils.isTerminal(p)) {
          on.add(p);
        }
      }
      on.addAll(nominated.getOrDefault(n.getMetadata().getName(), List.of()));
      // Pods nominated to the NodeClaim before its node registered count on that node now.
      String claimName =
          n.getSpec() == null ? null : claimByProviderId.get(n.getSpec().getProviderID());
      if (claimName != null) {
        on.addAll(nominated.getOrDefault(claimName, List.of()));
      }
      existingNodes.add(existing(n, on));
    }

    Map<String, NodePool> poolsByName = new LinkedHashMap<>();
    Map<String, List<InstanceType>> typesByPool = new HashMap<>();
    Map<NodePool, Skipped> skipped = new LinkedHashMap<>();
    for (NodePool pool : state.nodePools()) {
      if (pool.getMetadata().getDeletionTimestamp() != null
          || pool.getSpec().getReplicas() != null) {
        continue; // deleting, or static (its own controller keeps its replicas)
      }
      CloudProviderFacade.NodeClassReadiness readiness = cloud.nodeClassReadiness(pool);
      if (!readiness.ready()) {
        skipped.put(pool, new Skipped("NodeClassNotReady", readiness.message()));
        continue;
      }
      List<InstanceType> types;
      try {
        types = cloud.instanceTypes(pool);
      } catch (RuntimeException e) {
        // Never read as "no instance types": the pool sits out this pass, and says so.
        skipped.put(
            pool, new Skipped("InstanceTypesFailed", "Listing instance types: " + e.getMessage()));
        continue;
      }
      poolsByName.put(pool.getMetadata().getName(), pool);
      typesByPool.put(pool.getMetadata().getName(), types);
    }

    Map<String, Resources> usage = new HashMap<>();
    for (NodeClaim claim : state.nodeClaims()) {
      String pool =
          claim.getMetadata().getLabels() == null
              ? null
              : claim.getMetadata().getLabels().get(WellKnownLabels.NODE_POOL);
      if (pool != null) {
        usage.merge(pool, claimCapacity(claim).add(Resources.of("nodes", 1L)), Resources::add);
      }
      String pid = claim.getStatus() == null ? null : claim.getStatus().getProviderID();
      boolean registered = pid != null && nodeByProviderId.containsKey(pid);
      if (!registered && claim.getMetadata().getDeletionTimestamp() == null) {
        existingNodes.add(
            inFlight(
                claim,
                nominated.getOrDefault(claim.getMetadata().getName(), List.of()),
                typesByPool));
      }
    }

    List<NodePoolTemplate> templates = new ArrayList<>();
    List<Pod> dsPods = DaemonSetPods.of(state.daemonSets());
    for (NodePool pool : poolsByName.values()) {
      String name = pool.getMetadata().getName();
      templates.add(
          nodePools.translate(
              pool, typesByPool.get(name), dsPods, usage.getOrDefault(name, Resources.EMPTY)));
    }
    SchedulingInput input = new SchedulingInput(schedulingPods, existingNodes, templates, options);
    return new Snapshot(input, podsById, poolsByName, usage, skipped);
  }

  private ExistingNode existing(Node n, List<Pod> podsOnNode) {
    ExistingNode node = nodes.fromNode(n, podsOnNode, false);
    // Taints a node carries only while it starts (and the unregistered taint Dovetail removes at
    // registration) do not keep pods away from it: they are about to go.
    List<Taint> lasting =
        node.taints().stream().filter(t -> !EPHEMERAL_TAINTS.contains(t.key())).toList();
    if (lasting.size() == node.taints().size()) {
      return node;
    }
    return new ExistingNode(
        node.name(),
        node.labels(),
        lasting,
        node.allocatable(),
        node.requested(),
        node.pods(),
        node.inFlight(),
        node.markedForDeletion(),
        node.nodePool());
  }

  private ExistingNode inFlight(
      NodeClaim claim, List<Pod> nominatedPods, Map<String, List<InstanceType>> typesByPool) {
    String pool =
        claim.getMetadata().getLabels() == null
            ? null
            : claim.getMetadata().getLabels().get(WellKnownLabels.NODE_POOL);
    Map<String, InstanceType> byName = new HashMap<>();
    for (InstanceType it : typesByPool.getOrDefault(pool, List.of())) {
      byName.put(it.name(), it);
    }
    List<SchedulingPod> translated = new ArrayList<>(nominatedPods.size());
    for (Pod p : nominatedPods) {
      translated.add(pods.translate(p));
    }
    return nodes.fromInFlightNodeClaim(claim, byName, translated);
  }

  private static Resources claimCapacity(NodeClaim claim) {
    if (claim.getStatus() != null && claim.getStatus().getCapacity() != null) {
      return CloudProviderFacade.resources(claim.getStatus().getCapacity());
    }
    if (claim.getSpec().getResources() != null) {
      return CloudProviderFacade.resources(claim.getSpec().getResources().getRequests());
    }
    return Resources.EMPTY;
  }
}
