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

  /**
   * The workload size the limits are set for: 1,000 of the demo's pods request ~510 cpu, a quarter
   * of {@code general}'s limit, and the spot-only ones ~60 of {@code spot}'s 500.
   */
  static final int PODS_PER_LIMIT_STEP = 1000;

  /** The pools with the limits for up to {@value #PODS_PER_LIMIT_STEP} pods. */
  public static List<NodePool> all(NodeClassReference nodeClass) {
    return all(nodeClass, PODS_PER_LIMIT_STEP);
  }

  /**
   * The pools for a workload of {@code pods} of the demo's pods: the limits grow in steps of
   * {@value #PODS_PER_LIMIT_STEP} pods, so they cap a runaway but never decide where the demo's
   * pods go. Fixed, they stopped a 20,000-pod run at ~3,100-4,800 pods bound (the workload requests
   * ~10,200 cpu; the pools allowed 2,500), the stall of {@code bench provisioning --pods 20000}.
   * Steps of 2,000 pods were not enough on a loaded machine: pods seen a few at a time are packed
   * onto small nodes (~2 pods each), and at 2,000 pods the cheaper {@code spot} pool filled to its
   * 500 cpu with pods that could run anywhere while 33 spot-only pods waited.
   */
  public static List<NodePool> all(NodeClassReference nodeClass, int pods) {
    if (pods < 0) {
      throw new IllegalArgumentException("pods must be >= 0, got " + pods);
    }
    long steps = Math.max(1, (pods + PODS_PER_LIMIT_STEP - 1) / PODS_PER_LIMIT_STEP);
    return List.of(
        pool(
            "general",
            50,
            List.of(
                req("kubernetes.io/arch", "In", "amd64", "arm64"),
                req("karpenter.sh/capacity-type", "In", "on-demand"),
                req("kubernetes.io/os", "In", "linux")),
            List.of(),
            Map.of(
                "cpu", new Quantity(Long.toString(2000 * steps)),
                "memory", new Quantity(8000 * steps + "Gi")),
            nodeClass),
        pool(
            "spot",
            20,
            List.of(
                req("kubernetes.io/arch", "In", "amd64", "arm64"),
                req("karpenter.sh/capacity-type", "In", "spot"),
                req("kubernetes.io/os", "In", "linux")),
            List.of(),
            Map.of("cpu", new Quantity(Long.toString(500 * steps))),
            nodeClass),
        gpu(nodeClass, 16 * steps));
  }

  /** {@code gpu}: tainted so only GPU pods land there, limited to {@code gpus} GPUs. */
  public static NodePool gpu(NodeClassReference nodeClass, long gpus) {
    return pool(
        "gpu",
        10,
        List.of(req("kubernetes.io/os", "In", "linux")),
        List.of(new Taint("NoSchedule", "nvidia.com/gpu", null, "true")),
        Map.of("nvidia.com/gpu", new Quantity(Long.toString(gpus))),
        nodeClass);
  }

  public static NodeSelectorRequirementWithMinValues req(String key, String op, String... values) {
    return new NodeSelectorRequirementWithMinValues(key, op, List.of(values), null);
  }

  /**
   * A NodePool of the demo's shape (also chaos's): the requirements, taints and limits given, and a
   * disruption budget of half the nodes.
   */
  public static NodePool pool(
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
