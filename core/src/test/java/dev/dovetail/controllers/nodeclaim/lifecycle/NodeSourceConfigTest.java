package dev.dovetail.controllers.nodeclaim.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClaimStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSourceConfigTest {
  private final Node node =
      new NodeBuilder()
          .withNewMetadata()
          .withName("node-a")
          .endMetadata()
          .withNewSpec()
          .withProviderID("sim:///i-1")
          .endSpec()
          .build();
  private final NodeClaim claim = claim("claim-a", "sim:///i-1");

  private final InformerEventSourceConfiguration<Node> config =
      NodeClaimLifecycleReconciler.nodeSourceConfig(
          pid -> pid.equals("sim:///i-1") ? List.of(claim) : List.of(),
          pid -> pid.equals("sim:///i-1") ? List.of(node) : List.of());

  @Test
  void aNodeEventWakesTheClaimWithItsProviderId() {
    assertThat(config.getSecondaryToPrimaryMapper().toPrimaryResourceIDs(node))
        .containsExactly(new ResourceID("claim-a"));
  }

  @Test
  void aClaimsNodeIsMappedSoJosdkKeepsNoIndexPerClaim() {
    // With a primary-to-secondary mapper JOSDK does not build its own index of each NodeClaim's
    // nodes (a ConcurrentHashMap key set per claim): the mapper answers instead.
    @SuppressWarnings("unchecked")
    PrimaryToSecondaryMapper<NodeClaim> mapper =
        (PrimaryToSecondaryMapper<NodeClaim>)
            (PrimaryToSecondaryMapper<?>) config.getPrimaryToSecondaryMapper();

    assertThat(mapper).isNotNull();
    assertThat(mapper.toSecondaryResourceIDs(claim)).containsExactly(new ResourceID("node-a"));
    assertThat(mapper.toSecondaryResourceIDs(claim("launching", null))).isEmpty();
  }

  private static NodeClaim claim(String name, String providerId) {
    NodeClaim c = new NodeClaim();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withLabels(Map.of()).build());
    NodeClaimStatus status = new NodeClaimStatus();
    status.setProviderID(providerId);
    c.setStatus(status);
    return c;
  }
}
