package dev.dovetail.controllers.nodeclaim.disruption;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.controllers.provisioning.NodePoolHash;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.translate.RequirementsTranslator;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Map;
import java.util.Optional;

/**
 * Drift as upstream's nodeclaim/disruption: the NodePool's template hash changed ({@code
 * NodePoolDrifted}), the node's labels no longer satisfy the NodePool's requirements ({@code
 * RequirementsDrifted}), or the provider says the NodeClass changed (its own reason, e.g. a newer
 * image).
 */
final class DriftDetector {
  /** The answer: drifted with a reason, not drifted, or unknown (the provider failed). */
  record Verdict(String reason, RuntimeException error) {
    static final Verdict NOT_DRIFTED = new Verdict(null, null);

    boolean drifted() {
      return reason != null;
    }

    boolean unknown() {
      return error != null;
    }
  }

  private final CloudProviderFacade cloud;

  DriftDetector(CloudProviderFacade cloud) {
    this.cloud = cloud;
  }

  Verdict check(NodeClaim claim, Optional<Node> node, NodePool pool) {
    Map<String, String> ann =
        claim.getMetadata().getAnnotations() == null
            ? Map.of()
            : claim.getMetadata().getAnnotations();
    String hash = ann.get(Karpenter.NODEPOOL_HASH_ANNOTATION);
    String version = ann.get(Karpenter.NODEPOOL_HASH_VERSION_ANNOTATION);
    if (hash != null
        && NodePoolHash.VERSION.equals(version)
        && !hash.equals(NodePoolHash.of(pool))) {
      return new Verdict("NodePoolDrifted", null);
    }
    if (node.isPresent() && node.get().getMetadata().getLabels() != null) {
      Map<String, String> labels = node.get().getMetadata().getLabels();
      Requirements reqs =
          RequirementsTranslator.fromApi(pool.getSpec().getTemplate().getSpec().getRequirements());
      for (Requirement r : reqs.all()) {
        String v = labels.get(r.key());
        if (v != null && !r.has(v)) {
          return new Verdict("RequirementsDrifted", null);
        }
      }
    }
    try {
      return cloud
          .provider()
          .isDrifted(cloud.view(claim))
          .map(reason -> new Verdict(reason, null))
          .orElse(Verdict.NOT_DRIFTED);
    } catch (RuntimeException e) {
      return new Verdict(null, e);
    }
  }
}
