package dev.dovetail.translate;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClaimSpec;
import dev.dovetail.apis.v1.NodeClaimTemplate;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.Quantities;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.scheduling.NewNodeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An engine {@link NewNodeClaim} as the karpenter.sh/v1 NodeClaim to create. */
public final class NodeClaimTranslator {
  private NodeClaimTranslator() {}

  /**
   * Builds the NodeClaim for a planned claim of {@code nodePool}: the NodePool template's labels,
   * annotations, nodeClassRef, expireAfter and terminationGracePeriod; the engine's requirements
   * (instance types cheapest first), taints, startup taints and resource requests.
   *
   * @param name the NodeClaim name (the caller generates it, e.g. {@code <nodepool>-<suffix>})
   */
  public static NodeClaim toNodeClaim(NewNodeClaim planned, NodePool nodePool, String name) {
    NodeClaim nc = new NodeClaim();
    nc.getMetadata().setName(name);
    NodeClaimTemplate template = nodePool.getSpec().getTemplate();
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> annotations = new LinkedHashMap<>();
    if (template.getMetadata() != null) {
      if (template.getMetadata().getLabels() != null) {
        labels.putAll(template.getMetadata().getLabels());
      }
      if (template.getMetadata().getAnnotations() != null) {
        annotations.putAll(template.getMetadata().getAnnotations());
      }
    }
    labels.putAll(planned.labels());
    labels.put(WellKnownLabels.NODE_POOL, planned.nodePool());
    nc.getMetadata().setLabels(labels);
    if (!annotations.isEmpty()) {
      nc.getMetadata().setAnnotations(annotations);
    }
    NodeClaimSpec spec = nc.getSpec();
    spec.setRequirements(RequirementsTranslator.toApi(planned.requirements()));
    spec.setTaints(taints(planned.taints()));
    spec.setStartupTaints(taints(planned.startupTaints()));
    Map<String, Quantity> requests = new LinkedHashMap<>();
    planned
        .requests()
        .asMap()
        .forEach((k, v) -> requests.put(k, new Quantity(Quantities.format(k, v))));
    NodeClaimSpec.ResourceRequirements rr = new NodeClaimSpec.ResourceRequirements();
    rr.setRequests(requests);
    spec.setResources(rr);
    spec.setNodeClassRef(template.getSpec().getNodeClassRef());
    spec.setExpireAfter(template.getSpec().getExpireAfter());
    spec.setTerminationGracePeriod(template.getSpec().getTerminationGracePeriod());
    return nc;
  }

  private static List<io.fabric8.kubernetes.api.model.Taint> taints(List<Taint> ts) {
    if (ts.isEmpty()) {
      return null;
    }
    List<io.fabric8.kubernetes.api.model.Taint> out = new ArrayList<>();
    for (Taint t : ts) {
      out.add(
          new TaintBuilder()
              .withKey(t.key())
              .withValue(t.value().isEmpty() ? null : t.value())
              .withEffect(t.effect())
              .build());
    }
    return out;
  }
}
