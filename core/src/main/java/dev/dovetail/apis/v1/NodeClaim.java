package dev.dovetail.apis.v1;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code karpenter.sh/v1 NodeClaim}: one machine Dovetail asked for, from request to termination.
 * Cluster-scoped; its spec is immutable once created.
 */
@Group(Karpenter.GROUP)
@Version(Karpenter.VERSION)
@Singular("nodeclaim")
@Plural("nodeclaims")
public class NodeClaim extends CustomResource<NodeClaimSpec, NodeClaimStatus> {

  @Override
  protected NodeClaimSpec initSpec() {
    return new NodeClaimSpec();
  }

  @Override
  protected NodeClaimStatus initStatus() {
    return new NodeClaimStatus();
  }
}
