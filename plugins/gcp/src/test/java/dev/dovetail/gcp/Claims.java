package dev.dovetail.gcp;

import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassRef;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.cloudprovider.testkit.NodeClaims;
import dev.dovetail.gcp.v1alpha1.GCENodeClass;

/** NodeClaim views for the WireMock tests. */
final class Claims {
  private Claims() {}

  static NodeClaimView claim(String name, GCENodeClass nodeClass, Requirement... reqs) {
    return NodeClaims.pending(
        name,
        Requirements.of(reqs),
        Resources.of(Resources.CPU, 500L, Resources.MEMORY, 512L << 20),
        new NodeClassRef(GCENodeClass.GROUP, GCENodeClass.KIND, nodeClass.getMetadata().getName()),
        nodeClass);
  }

  static Requirement types(String... names) {
    return Requirement.in(WellKnownLabels.INSTANCE_TYPE, names);
  }

  static Requirement zones(String... zones) {
    return Requirement.in(WellKnownLabels.ZONE, zones);
  }

  static Requirement capacity(String... types) {
    return Requirement.in(WellKnownLabels.CAPACITY_TYPE, types);
  }
}
