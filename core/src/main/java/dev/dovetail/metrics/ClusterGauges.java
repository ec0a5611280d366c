package dev.dovetail.metrics;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.controllers.provisioning.Limits;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.state.ClusterState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gauges recomputed from the cluster state, in two parts that change for different reasons:
 * {@link #objects} (a row per pod and per node resource, {@link ObjectRows}) follows the watched
 * objects alone and is read at scrape time; {@link #pools} (per NodePool usage, limits and cost)
 * also moves with the provider's prices, so it is recomputed on a timer too. On an idle cluster of
 * 40,000 pods the timer then costs a walk over the NodeClaims, not over every pod.
 */
final class ClusterGauges {
  private final ObjectRows objectRows = new ObjectRows();
  private final GaugeRows nodePoolUsage;
  private final GaugeRows nodePoolLimit;
  private final GaugeRows nodePoolCost;
  private final GaugeRows nodePoolCostTotal;
  private final PodStartups podStartups;

  ClusterGauges(PrometheusMeterRegistry registry, PodStartups podStartups) {
    this.podStartups = podStartups;
    registry.getPrometheusRegistry().register(objectRows);
    nodePoolUsage =
        rows(registry, "karpenter.nodepools.usage", "Resources used by a NodePool's nodes");
    nodePoolLimit = rows(registry, "karpenter.nodepools.limit", "NodePool limits");
    nodePoolCost =
        rows(
            registry,
            "dovetail.nodepool.cost.per.hour",
            "Hourly price of a NodePool's launched NodeClaims by capacity type (the split"
                + " karpenter_nodepools_cost_total does not give)");
    nodePoolCostTotal =
        rows(
            registry,
            "karpenter.nodepools.cost.total",
            "Hourly price of all of a NodePool's launched NodeClaims");
  }

  private static GaugeRows rows(MeterRegistry registry, String name, String description) {
    return new GaugeRows(MultiGauge.builder(name).description(description).register(registry));
  }

  /**
   * The rows that follow the objects alone (every pod's state, every node's allocatable) are read
   * from the state at scrape time; what is kept per pod is only the startup timer's.
   */
  void observe(ClusterState state) {
    objectRows.observe(state);
  }

  void objects(ClusterState state) {
    objectRows.observe(state);
    podStartups.retain(state.pods());
  }

  /** Per NodePool: the capacity its NodeClaims hold, its limits, and their hourly price. */
  void pools(ClusterState state, CloudProviderFacade cloud) {
    Map<String, Resources> usage = new HashMap<>();
    Map<String, Double> cost = new HashMap<>();
    Map<List<String>, Double> costByCapacityType = new HashMap<>();
    for (NodeClaim claim : state.nodeClaims()) {
      String pool = nodePool(claim);
      if (claim.getStatus() != null && claim.getStatus().getCapacity() != null) {
        usage.merge(
            pool, CloudProviderFacade.resources(claim.getStatus().getCapacity()), Resources::add);
      }
      double price = cloud.price(claim);
      cost.merge(pool, price, Double::sum);
      String ct =
          claim.getMetadata().getLabels() == null
              ? ""
              : claim.getMetadata().getLabels().getOrDefault(WellKnownLabels.CAPACITY_TYPE, "");
      costByCapacityType.merge(List.of(pool, ct), price, Double::sum);
    }
    Map<Tags, Double> usageRows = new HashMap<>();
    Map<Tags, Double> limitRows = new HashMap<>();
    Map<Tags, Double> costRows = new HashMap<>();
    Map<Tags, Double> totalRows = new HashMap<>();
    for (NodePool pool : state.nodePools()) {
      String name = pool.getMetadata().getName();
      usage
          .getOrDefault(name, Resources.EMPTY)
          .asMap()
          .forEach(
              (r, v) ->
                  usageRows.put(
                      Tags.of("nodepool", name, "resource_type", r),
                      Resources.CPU.equals(r) ? v / 1000.0 : v));
      Limits.of(pool)
          .asMap()
          .forEach(
              (r, v) ->
                  limitRows.put(
                      Tags.of("nodepool", name, "resource_type", r),
                      Resources.CPU.equals(r) ? v / 1000.0 : v));
      totalRows.put(Tags.of("nodepool", name), cost.getOrDefault(name, 0.0));
    }
    costByCapacityType.forEach(
        (k, v) -> costRows.put(Tags.of("nodepool", k.get(0), "capacity_type", k.get(1)), v));
    nodePoolUsage.set(usageRows);
    nodePoolLimit.set(limitRows);
    nodePoolCost.set(costRows);
    nodePoolCostTotal.set(totalRows);
  }

  private static String nodePool(NodeClaim claim) {
    Map<String, String> labels = claim.getMetadata().getLabels();
    String pool = labels == null ? null : labels.get(WellKnownLabels.NODE_POOL);
    return pool == null ? "" : pool;
  }
}
