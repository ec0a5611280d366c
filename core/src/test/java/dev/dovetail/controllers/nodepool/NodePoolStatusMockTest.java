package dev.dovetail.controllers.nodepool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.controllers.Harness;
import dev.dovetail.kube.Conditions;
import dev.dovetail.plugins.simulated.KWOKNodeClass;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import dev.dovetail.provider.CloudProviderFacade;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodePoolStatusMockTest {
  private Harness h;

  @BeforeEach
  void start() {
    h = new Harness().start(new SimulatedCloud());
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void statusCountsNodeClaimsAndReportsReadiness() throws Exception {
    h.client.resource(Harness.nodePool("default", List.of())).create();
    NodePool broken = Harness.nodePool("broken", List.of());
    broken
        .getSpec()
        .getTemplate()
        .getSpec()
        .setNodeClassRef(
            new NodeClassReference(KWOKNodeClass.GROUP, KWOKNodeClass.KIND, "missing"));
    h.client.resource(broken).create();
    NodeClaim a = h.launch(Harness.nodeClaim("a", null));
    NodeClaim b = h.launch(Harness.nodeClaim("b", null));
    long cpu =
        CloudProviderFacade.resources(a.getStatus().getCapacity()).get("cpu")
            + CloudProviderFacade.resources(b.getStatus().getCapacity()).get("cpu");

    Eventually.await(
        Duration.ofSeconds(15),
        () -> {
          NodePool p = h.client.resources(NodePool.class).withName("default").get();
          return p.getStatus() != null
              && Long.valueOf(2).equals(p.getStatus().getNodes())
              && p.getStatus().getResources() != null
              && CloudProviderFacade.resources(p.getStatus().getResources()).get("cpu") == cpu
              && Conditions.isTrue(p.getStatus().getConditions(), Karpenter.Conditions.READY);
        },
        () -> "status: " + status("default"));
    NodePool p = h.client.resources(NodePool.class).withName("default").get();
    assertThat(
            Conditions.isTrue(
                p.getStatus().getConditions(), Karpenter.Conditions.VALIDATION_SUCCEEDED))
        .isTrue();
    assertThat(
            Conditions.isTrue(p.getStatus().getConditions(), Karpenter.Conditions.NODE_CLASS_READY))
        .isTrue();
    assertThat(CloudProviderFacade.resources(p.getStatus().getResources()).get("memory"))
        .isPositive();

    Eventually.await(
        Duration.ofSeconds(15),
        () -> {
          NodePool q = h.client.resources(NodePool.class).withName("broken").get();
          return q.getStatus() != null
              && Conditions.get(
                      q.getStatus().getConditions(), Karpenter.Conditions.NODE_CLASS_READY)
                  .map(c -> "False".equals(c.getStatus()))
                  .orElse(false)
              && Conditions.get(q.getStatus().getConditions(), Karpenter.Conditions.READY)
                  .map(c -> "False".equals(c.getStatus()))
                  .orElse(false)
              && Long.valueOf(0).equals(q.getStatus().getNodes());
        },
        () -> "status: " + status("broken"));

    h.client.resources(NodeClaim.class).withName("b").delete();
    Eventually.await(
        Duration.ofSeconds(20),
        () -> Long.valueOf(1).equals(status("default").getNodes()),
        () -> "status after delete: " + status("default").getNodes());
  }

  private dev.dovetail.apis.v1.NodePoolStatus status(String name) {
    return h.client.resources(NodePool.class).withName(name).get().getStatus();
  }
}
