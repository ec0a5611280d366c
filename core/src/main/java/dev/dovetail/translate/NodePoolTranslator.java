package dev.dovetail.translate;

import dev.dovetail.apis.v1.NodeClaimTemplate;
import dev.dovetail.apis.v1.NodeClaimTemplateSpec;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.scheduling.NodePoolTemplate;
import dev.dovetail.scheduling.SchedulingPod;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A NodePool CR with its instance types and daemonset pods as an engine {@link NodePoolTemplate}.
 */
public final class NodePoolTranslator {
  private final PodTranslator pods;

  public NodePoolTranslator(PodTranslator pods) {
    this.pods = pods;
  }

  public NodePoolTranslator() {
    this(new PodTranslator());
  }

  /**
   * @param usage what the pool's NodeClaims already hold (e.g. {@code status.resources} plus {@code
   *     nodes}); null uses the NodePool's status
   * @param daemonSetPods one pod per DaemonSet (e.g. built from its template)
   */
  public NodePoolTemplate translate(
      NodePool nodePool,
      List<InstanceType> instanceTypes,
      List<Pod> daemonSetPods,
      Resources usage) {
    NodeClaimTemplate template = nodePool.getSpec().getTemplate();
    NodeClaimTemplateSpec spec = template.getSpec();
    Map<String, String> labels =
        template.getMetadata() == null || template.getMetadata().getLabels() == null
            ? Map.of()
            : template.getMetadata().getLabels();
    Resources limits =
        nodePool.getSpec().getLimits() == null
            ? Resources.EMPTY
            : Resources.of(PodTranslator.quantities(nodePool.getSpec().getLimits()));
    if (usage == null) {
      usage = Resources.EMPTY;
      if (nodePool.getStatus() != null && nodePool.getStatus().getResources() != null) {
        usage = Resources.of(PodTranslator.quantities(nodePool.getStatus().getResources()));
      }
      if (nodePool.getStatus() != null && nodePool.getStatus().getNodes() != null) {
        usage = usage.add(Resources.of("nodes", nodePool.getStatus().getNodes()));
      }
    }
    List<SchedulingPod> ds = new ArrayList<>();
    if (daemonSetPods != null) {
      for (Pod p : daemonSetPods) {
        ds.add(pods.translate(p));
      }
    }
    return new NodePoolTemplate(
        nodePool.getMetadata().getName(),
        nodePool.getSpec().getWeight() == null ? 0 : nodePool.getSpec().getWeight(),
        RequirementsTranslator.fromApi(spec.getRequirements()),
        labels,
        taints(spec.getTaints()),
        taints(spec.getStartupTaints()),
        limits,
        usage,
        instanceTypes,
        ds);
  }

  private static List<Taint> taints(List<io.fabric8.kubernetes.api.model.Taint> ts) {
    List<Taint> out = new ArrayList<>();
    if (ts != null) {
      for (var t : ts) {
        out.add(NodeTranslator.taint(t));
      }
    }
    return out;
  }
}
