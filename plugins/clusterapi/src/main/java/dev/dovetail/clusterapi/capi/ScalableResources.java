package dev.dovetail.clusterapi.capi;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds the scalable resources a NodeClass selects, and a resource by reference. */
public final class ScalableResources {
  private static final LabelSelector MEMBERS =
      new LabelSelectorBuilder()
          .addNewMatchExpression()
          .withKey(Capi.KARPENTER_MEMBER_LABEL)
          .withOperator("Exists")
          .endMatchExpression()
          .build();

  private final CapiApi api;

  public ScalableResources(CapiApi api) {
    this.api = api;
  }

  /**
   * MachineDeployments, MachineSets and MachinePools matching {@code selector} (or, when null,
   * labelled {@code node.cluster.x-k8s.io/karpenter-member}), in {@code namespace} (null: all) and
   * of {@code clusterName} (null: any). MachineSets a MachineDeployment owns are left out: their
   * MachineDeployment sets their replicas. A kind the API does not serve (MachinePool without its
   * feature gate) is skipped.
   */
  public List<ScalableResource> select(
      LabelSelector selector, String namespace, String clusterName) {
    List<ScalableResource> out = new ArrayList<>();
    for (String kind : ScalableResourceRef.KINDS) {
      List<GenericKubernetesResource> items;
      try {
        items = api.list(kind, namespace, selector == null ? MEMBERS : selector);
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          continue;
        }
        throw e;
      }
      for (GenericKubernetesResource obj : items) {
        if (kind.equals(Capi.MACHINE_SET) && ownedByDeployment(obj)) {
          continue;
        }
        ScalableResource r = ScalableResource.of(kind, obj);
        if (clusterName != null && !clusterName.equals(r.clusterName())) {
          continue;
        }
        out.add(r);
      }
    }
    out.sort(
        java.util.Comparator.comparing((ScalableResource r) -> r.ref().namespace())
            .thenComparing(r -> r.ref().name())
            .thenComparing(r -> r.ref().kind()));
    return out;
  }

  private static boolean ownedByDeployment(GenericKubernetesResource obj) {
    List<OwnerReference> owners = obj.getMetadata().getOwnerReferences();
    return owners != null
        && owners.stream().anyMatch(o -> Capi.MACHINE_DEPLOYMENT.equals(o.getKind()));
  }

  public Optional<ScalableResource> get(ScalableResourceRef ref) {
    return api.get(ref.kind(), ref.namespace(), ref.name())
        .map(obj -> ScalableResource.of(ref.kind(), obj));
  }
}
