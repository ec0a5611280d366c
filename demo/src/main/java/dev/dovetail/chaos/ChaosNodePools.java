package dev.dovetail.chaos;

import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.demo.DemoNodePools;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;

/**
 * The NodePools a chaos run applies: {@code default}, one pool offering both capacity types (as
 * upstream's NodePool documentation does, {@code karpenter.sh/capacity-type In [spot, on-demand]}),
 * and {@code gpu}, tainted so only GPU pods land there.
 *
 * <p>Why not the demo's pools ({@code general} on-demand at weight 50 above {@code spot} at weight
 * 20): they state a preference for on-demand that outranks cost. A fault-free run puts general pods
 * into the spare room of the spot nodes the spot-only pods open; after a spot interruption those
 * pods are provisioned again into the preferred on-demand pool, and consolidation, which like
 * upstream's simulates new capacity in NodePool weight order, never moves them back to spot (see
 * core's {@code WeightedSpotFixedPointTest}). Both fixed points are correct for those pools, so
 * comparing their costs measures the user's weights, not the faults. With one pool, capacity is
 * chosen by price alone in both runs, and the cost bound measures what the faults left behind.
 */
final class ChaosNodePools {
  private ChaosNodePools() {}

  static List<NodePool> all(NodeClassReference nodeClass) {
    return List.of(
        DemoNodePools.pool(
            "default",
            50,
            List.of(
                DemoNodePools.req("kubernetes.io/arch", "In", "amd64", "arm64"),
                DemoNodePools.req("karpenter.sh/capacity-type", "In", "spot", "on-demand"),
                DemoNodePools.req("kubernetes.io/os", "In", "linux")),
            List.of(),
            Map.of("cpu", new Quantity("2000"), "memory", new Quantity("8000Gi")),
            nodeClass),
        DemoNodePools.gpu(nodeClass, 16));
  }
}
