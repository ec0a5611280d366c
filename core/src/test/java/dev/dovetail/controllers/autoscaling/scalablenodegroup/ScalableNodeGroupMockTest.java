package dev.dovetail.controllers.autoscaling.scalablenodegroup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.autoscaling.v1alpha1.Autoscaling;
import dev.dovetail.apis.autoscaling.v1alpha1.ScalableNodeGroup;
import dev.dovetail.cloudprovider.NodeGroupScaler;
import dev.dovetail.cloudprovider.testkit.MutableClock;
import dev.dovetail.kube.Conditions;
import dev.dovetail.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ScalableNodeGroup controller against the embedded API server, with an in-memory node group
 * cloud behind the SPI (the AWS implementations are tested against WireMock in the aws plugin).
 */
class ScalableNodeGroupMockTest {
  EmbeddedApiServer server;
  KubernetesClient client;
  MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  /** Node groups whose size follows the last write, as a cloud's desired capacity does. */
  static final class Groups implements NodeGroupScaler {
    final Map<String, Integer> sizes = new HashMap<>();
    int writes;

    @Override
    public Set<String> supportedNodeGroupTypes() {
      return Set.of("AWSEKSNodeGroup", "AWSEC2AutoScalingGroup");
    }

    @Override
    public int replicas(String type, String id) {
      Integer n = sizes.get(id);
      if (n == null) {
        throw new NodeGroupNotFoundException("node group " + id + " not found");
      }
      return n;
    }

    @Override
    public void setReplicas(String type, String id, int replicas) {
      writes++;
      sizes.put(id, replicas);
    }
  }

  @BeforeEach
  void start() {
    server = EmbeddedApiServer.start();
    server.expectCustomResource(
        Autoscaling.GROUP, Autoscaling.VERSION, "ScalableNodeGroup", "scalablenodegroups", true);
    client = server.client();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  void create(String name, String type, String id, Integer replicas) {
    ScalableNodeGroup sng = new ScalableNodeGroup();
    sng.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
    sng.getSpec().type = type;
    sng.getSpec().id = id;
    sng.getSpec().replicas = replicas;
    client.resource(sng).create();
  }

  ScalableNodeGroup read(String name) {
    return client.resources(ScalableNodeGroup.class).inNamespace("default").withName(name).get();
  }

  @Test
  void theGroupFollowsSpecReplicasAndStatusReportsIt() {
    Groups groups = new Groups();
    groups.sizes.put("ng-1", 1);
    create("training", "AWSEKSNodeGroup", "ng-1", 4);
    var controller = new ScalableNodeGroupController(client, groups, "aws", clock);

    controller.reconcileAll();
    assertThat(groups.sizes.get("ng-1")).isEqualTo(4);
    assertThat(read("training").getStatus().replicas).isEqualTo(1);
    controller.reconcileAll();
    assertThat(read("training").getStatus().replicas).isEqualTo(4);
    assertThat(groups.writes).isEqualTo(1);
    assertThat(Conditions.isTrue(read("training").getStatus().conditions, "AbleToScale")).isTrue();
  }

  @Test
  void unknownTypesMissingGroupsAndProvidersWithoutNodeGroupsFailWithAReason() {
    Groups groups = new Groups();
    create("azure", "AzureVMSS", "x", 2);
    create("missing", "AWSEC2AutoScalingGroup", "nope", 2);
    new ScalableNodeGroupController(client, groups, "aws", clock).reconcileAll();
    assertThat(
            Conditions.get(read("azure").getStatus().conditions, "Active")
                .orElseThrow()
                .getMessage())
        .isEqualTo(
            "type AzureVMSS is not supported by the aws provider (supported:"
                + " AWSEC2AutoScalingGroup, AWSEKSNodeGroup)");
    var missing = Conditions.get(read("missing").getStatus().conditions, "Active").orElseThrow();
    assertThat(missing.getReason()).isEqualTo("NodeGroupNotFound");
    assertThat(groups.writes).isZero();

    new ScalableNodeGroupController(client, new Object(), "gcp", clock).reconcileAll();
    assertThat(
            Conditions.get(read("missing").getStatus().conditions, "Active")
                .orElseThrow()
                .getReason())
        .isEqualTo("NodeGroupsNotSupported");
  }
}
