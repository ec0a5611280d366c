package dev.dovetail.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClaimSpec;
import dev.dovetail.apis.v1.NodeClaimStatus;
import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodeSelectorRequirementWithMinValues;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.controllers.nodeclaim.lifecycle.StatusWriter;
import dev.dovetail.plugins.simulated.KWOKNodeClass;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle's default status write (server-side apply of {@code /status}) on the embedded API
 * server: it writes the status, keeps concurrent metadata changes, refuses a stale copy, and
 * removes a status field the lifecycle no longer sets.
 */
class NodeClaimStatusWriterMockTest {
  private final KubeApiServer api = KubeApiServer.start();
  private final KubernetesClient client = api.client();
  private final StatusWriter writer = StatusWriter.serverSideApply(client);

  @AfterEach
  void close() {
    client.close();
    api.close();
  }

  private NodeClaim create(String name) {
    NodeClaim claim = new NodeClaim();
    claim.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withLabels(Map.of(WellKnownLabels.NODE_POOL, "default"))
            .build());
    NodeClaimSpec spec = new NodeClaimSpec();
    spec.setRequirements(
        List.of(
            new NodeSelectorRequirementWithMinValues(
                WellKnownLabels.CAPACITY_TYPE, "In", List.of("on-demand"), null)));
    NodeClaimSpec.ResourceRequirements resources = new NodeClaimSpec.ResourceRequirements();
    resources.setRequests(Map.of("cpu", new Quantity("1")));
    spec.setResources(resources);
    spec.setNodeClassRef(
        new NodeClassReference(KWOKNodeClass.GROUP, KWOKNodeClass.KIND, "default"));
    claim.setSpec(spec);
    return client.resource(claim).create();
  }

  private NodeClaim read(String name) {
    return client.resources(NodeClaim.class).withName(name).get();
  }

  private static Condition condition(String type, String status) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(type)
        .withMessage("")
        .withLastTransitionTime("2026-12-02T10:00:00Z")
        .build();
  }

  @Test
  void theStatusIsAppliedWithoutUndoingAConcurrentLabelChange() {
    NodeClaim claim = create("a");
    NodeClaimStatus status = new NodeClaimStatus();
    status.setProviderID("kwok://a");
    status.setConditions(new ArrayList<>(List.of(condition("Launched", "True"))));
    claim.setStatus(status);
    // another controller labels the claim after the lifecycle read it
    client
        .resources(NodeClaim.class)
        .withName("a")
        .edit(
            c -> {
              c.getMetadata().getLabels().put("example.com/team", "x");
              return c;
            });

    // the copy read before the label is stale: refused, not written over
    assertThat(writer.write(claim)).isFalse();
    NodeClaim fresh = read("a");
    fresh.setStatus(status);
    assertThat(writer.write(fresh)).isTrue();

    NodeClaim stored = read("a");
    assertThat(stored.getStatus().getProviderID()).isEqualTo("kwok://a");
    assertThat(stored.getStatus().getConditions())
        .extracting(Condition::getType)
        .containsExactly("Launched");
    assertThat(stored.getMetadata().getLabels()).containsEntry("example.com/team", "x");
    assertThat(stored.getMetadata().getManagedFields())
        .anySatisfy(
            e -> {
              assertThat(e.getManager()).isEqualTo(StatusWriter.FIELD_MANAGER);
              assertThat(e.getSubresource()).isEqualTo("status");
            });
  }

  @Test
  void aStatusFieldTheLifecycleStopsSettingIsRemoved() {
    NodeClaim claim = create("b");
    NodeClaimStatus status = new NodeClaimStatus();
    status.setProviderID("kwok://b");
    status.setNodeName("node-b");
    status.setConditions(new ArrayList<>(List.of(condition("Registered", "True"))));
    claim.setStatus(status);
    assertThat(writer.write(claim)).isTrue();

    NodeClaim again = read("b");
    again.getStatus().setNodeName(null); // serialised without the field
    assertThat(writer.write(again)).isTrue();
    assertThat(read("b").getStatus().getNodeName()).isNull();
    assertThat(read("b").getStatus().getProviderID()).isEqualTo("kwok://b");
  }
}
