package dev.dovetail.controllers.nodeclaim.lifecycle;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.state.NodeUtils;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the lifecycle controller writes onto Nodes, and how it reads their readiness. */
final class NodeSync {
  private NodeSync() {}

  /**
   * On registration: the NodeClaim's labels, taints, owner reference and the termination finalizer
   * go onto the Node, and the {@code karpenter.sh/unregistered} taint comes off (upstream's
   * registration step).
   */
  static void syncOnRegistration(KubernetesClient client, NodeClaim claim, Node node) {
    client
        .nodes()
        .withName(node.getMetadata().getName())
        .edit(
            n -> {
              Map<String, String> labels = new HashMap<>();
              if (n.getMetadata().getLabels() != null) {
                labels.putAll(n.getMetadata().getLabels());
              }
              if (claim.getMetadata().getLabels() != null) {
                labels.putAll(claim.getMetadata().getLabels());
              }
              labels.put(WellKnownLabels.REGISTERED, "true");
              n.getMetadata().setLabels(labels);

              List<Taint> taints = new ArrayList<>();
              if (n.getSpec().getTaints() != null) {
                for (Taint t : n.getSpec().getTaints()) {
                  if (!Karpenter.UNREGISTERED_TAINT_KEY.equals(t.getKey())) {
                    taints.add(t);
                  }
                }
              }
              if (claim.getSpec().getTaints() != null) {
                for (Taint t : claim.getSpec().getTaints()) {
                  if (taints.stream()
                      .noneMatch(
                          x ->
                              x.getKey().equals(t.getKey())
                                  && x.getEffect().equals(t.getEffect()))) {
                    taints.add(t);
                  }
                }
              }
              n.getSpec().setTaints(taints);

              List<String> finalizers =
                  n.getMetadata().getFinalizers() == null
                      ? new ArrayList<>()
                      : new ArrayList<>(n.getMetadata().getFinalizers());
              if (!finalizers.contains(Karpenter.TERMINATION_FINALIZER)) {
                finalizers.add(Karpenter.TERMINATION_FINALIZER);
              }
              n.getMetadata().setFinalizers(finalizers);
              n.getMetadata()
                  .setOwnerReferences(
                      List.of(
                          new OwnerReferenceBuilder()
                              .withApiVersion(Karpenter.API_VERSION)
                              .withKind("NodeClaim")
                              .withName(claim.getMetadata().getName())
                              .withUid(claim.getMetadata().getUid())
                              .withBlockOwnerDeletion(true)
                              .build()));
              return n;
            });
  }

  /**
   * Why the node is not initialized yet, or empty when it is: Ready, the claim's startup taints
   * gone, and every extended resource the claim requested registered on the node.
   */
  static Optional<String> notInitializedReason(NodeClaim claim, Node node) {
    if (!NodeUtils.isReady(node)) {
      return Optional.of("node is not Ready");
    }
    if (claim.getSpec().getStartupTaints() != null && node.getSpec().getTaints() != null) {
      for (Taint startup : claim.getSpec().getStartupTaints()) {
        for (Taint t : node.getSpec().getTaints()) {
          if (t.getKey().equals(startup.getKey()) && t.getEffect().equals(startup.getEffect())) {
            return Optional.of("startup taint " + t.getKey() + " still present");
          }
        }
      }
    }
    if (claim.getSpec().getResources() != null) {
      Resources requested =
          CloudProviderFacade.resources(claim.getSpec().getResources().getRequests());
      Resources allocatable =
          node.getStatus() == null
              ? Resources.EMPTY
              : CloudProviderFacade.resources(node.getStatus().getAllocatable());
      for (String name : requested.asMap().keySet()) {
        boolean extended = name.contains("/");
        if (extended && requested.get(name) > 0 && allocatable.get(name) <= 0) {
          return Optional.of("extended resource " + name + " not registered");
        }
      }
    }
    return Optional.empty();
  }

  static void markInitialized(KubernetesClient client, Node node) {
    if (node.getMetadata().getLabels() != null
        && "true".equals(node.getMetadata().getLabels().get(WellKnownLabels.INITIALIZED))) {
      return;
    }
    client
        .nodes()
        .withName(node.getMetadata().getName())
        .edit(
            n -> {
              Map<String, String> labels = new HashMap<>();
              if (n.getMetadata().getLabels() != null) {
                labels.putAll(n.getMetadata().getLabels());
              }
              labels.put(WellKnownLabels.INITIALIZED, "true");
              n.getMetadata().setLabels(labels);
              return n;
            });
  }
}
