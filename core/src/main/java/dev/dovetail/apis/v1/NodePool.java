package dev.dovetail.apis.v1;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code karpenter.sh/v1 NodePool}: a template for NodeClaims plus the rules for disrupting them.
 * Cluster-scoped (it does not implement {@code Namespaced}), wire-compatible with upstream.
 */
@Group(Karpenter.GROUP)
@Version(Karpenter.VERSION)
@Singular("nodepool")
@Plural("nodepools")
public class NodePool extends CustomResource<NodePoolSpec, NodePoolStatus> {

  @Override
  protected NodePoolSpec initSpec() {
    return new NodePoolSpec();
  }

  @Override
  protected NodePoolStatus initStatus() {
    return new NodePoolStatus();
  }
}
