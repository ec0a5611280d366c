package dev.dovetail.demo;

import dev.dovetail.apis.v1.Budget;
import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apis.v1.NodeSelectorRequirementWithMinValues;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;
import java.util.Map;

/**
 * The NodePools the demo applies: {@code general} (on-demand, amd64 and arm64, tried first), {@code
 * spot} (spot only) and {@code gpu} (tainted so only GPU pods land there).
 */
public final class DemoNodePools {
  private DemoNodePools() {}

  public static List<NodePool> all(NodeClassReference nodeClass) {
    return List.of(
        pool(
            "general",
            50,
            List.of(
                req("kubernetes.io/arch", "In", "amd64", "arm64"),
                req("karpenter.sh/capacity-type", "In", "on-demand"),
                req("kubernetes.io/os", "In", "linux")),
            List.of(),
            Map.of("cpu", new Quantity("2000"), "memory", new Quantity("8000Gi")),
            nodeClass),
        pool(
            "spot",
            20,
            List.of(
                req("kubernetes.io/arch", "In", "amd64", "arm64"),
                req("karpenter.sh/capacity-type", "In", "spot"),
                req("kubernetes.io/os", "In", "linux")),
            List.of(),
            Map.of("cpu", new Quantity("500")),
            nodeClass),
        pool(
            "gpu",
            10,
            List.of(req("kubernetes.io/os", "In", "linux")),
            List.of(new Taint("NoSchedule", "nvidia.com/gpu", null, "true")),
            Map.of("nvidia.com/gpu", new Quantity("16")),
            nodeClass));
  }

  private static NodeSelectorRequirementWithMinValues req(String key, String op, String... values) {
    return new NodeSelectorRequirementWithMinValues(key, op, List.of(values), null);
  }

  private static NodePool pool(
      String name,
      int weight,
      List<NodeSelectorRequirementWithMinValues> requirements,
      List<Taint> taints,
      Map<String, Quantity> limits,
      NodeClassReference nodeClass) {
    NodePool pool = new NodePool();
    pool.setMetadata(new ObjectMetaBuilder().withName(name).build());
    pool.getSpec().setWeight(weight);
    pool.getSpec().getTemplate().getSpec().setRequirements(requirements);
    pool.getSpec().getTemplate().getSpec().setTaints(taints.isEmpty() ? null : taints);
    pool.getSpec().getTemplate().getSpec().setNodeClassRef(nodeClass);
    pool.getSpec().setLimits(limits);
    // Half the nodes may be disrupted at once (upstream's default is 10%) so that the demo's
    // scale-down converges in seconds rather than minutes.
    pool.getSpec()
        .getDisruption()
        .setBudgets(new java.util.ArrayList<>(List.of(new Budget("50%"))));
    return pool;
  }
}
