package dev.dovetail.controllers.provisioning;

import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.scheduling.NodePoolTemplate;
import dev.dovetail.scheduling.SchedulingInput;
import dev.dovetail.scheduling.SchedulingOptions;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.state.ClusterSnapshot;
import dev.dovetail.state.ClusterView;
import dev.dovetail.state.SnapshotBuilder;
import dev.dovetail.state.SnapshotMemo;
import dev.dovetail.translate.NodePoolTranslator;
import dev.dovetail.translate.PodTranslations;
import dev.dovetail.translate.PodTranslator;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the engine's input from the cluster state: pending pods, existing nodes and in-flight
 * NodeClaims (with the pods bound or nominated to them) from the shared {@link ClusterSnapshot},
 * and the NodePools the provisioner may launch into with their instance types. The provisioner
 * feeds it the live cluster; {@code dovetail simulate} a cluster read from files.
 */
public final class SchedulingInputs {
  private final ClusterView state;
  private final CloudProviderFacade cloud;
  private final PodTranslator pods;
  private final NodePoolTranslator nodePools;
  private final SnapshotBuilder snapshots;

  /** What the last pass made of nodes and claims, for both views this pass may build from. */
  private final SnapshotMemo memo;

  private final SchedulingOptions options;

  public SchedulingInputs(ClusterView state, CloudProviderFacade cloud) {
    this(state, cloud, SchedulingOptions.DEFAULT);
  }

  /**
   * @param options the engine's options for every snapshot (the run's preference and minValues
   *     policies)
   */
  public SchedulingInputs(ClusterView state, CloudProviderFacade cloud, SchedulingOptions options) {
    this(state, cloud, options, null);
  }

  /**
   * @param translations the pod translations shared with the other controllers (null: this builder
   *     translates every pod itself)
   */
  public SchedulingInputs(
      ClusterView state,
      CloudProviderFacade cloud,
      SchedulingOptions options,
      PodTranslations translations) {
    this.state = state;
    this.cloud = cloud;
    this.pods = new PodTranslator(translations);
    this.nodePools = new NodePoolTranslator(pods);
    this.memo = new SnapshotMemo();
    this.snapshots = new SnapshotBuilder(state, cloud, pods, memo);
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
    return snapshot(pending, UncachedClaims.NotYetCached.NONE);
  }

  /**
   * @param notYetCached the provisioner's own creates on their way to the informer cache: in flight
   *     with the cache's claims, and what they reserve beyond what is counted of them added to the
   *     NodePools' usage, for the engine's limits and for {@link Snapshot#usage}
   */
  Snapshot snapshot(List<Pod> pending, UncachedClaims.NotYetCached notYetCached) {
    Map<String, Pod> podsById = new LinkedHashMap<>();
    List<SchedulingPod> schedulingPods = new ArrayList<>(pending.size());
    for (Pod p : pending) {
      SchedulingPod sp = pods.translate(p);
      podsById.put(sp.id(), p);
      schedulingPods.add(sp);
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
      SnapshotBuilder.PoolTypes types = snapshots.instanceTypes(pool);
      if (types.failed()) {
        // Never read as "no instance types": the pool sits out this pass, and says so.
        skipped.put(pool, new Skipped("InstanceTypesFailed", types.failure()));
        continue;
      }
      poolsByName.put(pool.getMetadata().getName(), pool);
      typesByPool.put(pool.getMetadata().getName(), types.types());
    }

    ClusterSnapshot cluster =
        (notYetCached.claims().isEmpty()
                ? snapshots
                : new SnapshotBuilder(
                    new WithOwnCreates(state, notYetCached.claims()), cloud, pods, memo))
            .build(typesByPool);
    Map<String, Resources> usage = new HashMap<>(cluster.usageByPool());
    notYetCached.reservedByPool().forEach((pool, r) -> usage.merge(pool, r, Resources::add));
    List<NodePoolTemplate> templates = new ArrayList<>();
    for (NodePool pool : poolsByName.values()) {
      String name = pool.getMetadata().getName();
      templates.add(
          nodePools.translate(
              pool,
              typesByPool.get(name),
              cluster.daemonSetPods(),
              usage.getOrDefault(name, Resources.EMPTY)));
    }
    SchedulingInput input =
        new SchedulingInput(schedulingPods, cluster.existingNodes(), templates, options);
    return new Snapshot(input, podsById, poolsByName, usage, skipped);
  }
}
