package dev.dovetail.clusterapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.cloudprovider.CloudProviderException;
import dev.dovetail.cloudprovider.NodeGroupScaler.NodeGroupNotFoundException;
import dev.dovetail.clusterapi.capi.Capi;
import dev.dovetail.clusterapi.capi.Fields;
import dev.dovetail.clusterapi.capi.MachineDeploymentNodeGroups;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ScalableNodeGroups of type ClusterAPIMachineDeployment against the mock API server. */
class MachineDeploymentNodeGroupsMockTest {
  static final String TYPE = MachineDeploymentNodeGroups.TYPE;
  private CapiMockCluster cluster;
  private MachineDeploymentNodeGroups groups;

  @BeforeEach
  void start() {
    cluster = new CapiMockCluster();
    groups = new MachineDeploymentNodeGroups(cluster.api, CapiMockCluster.NS);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void readyReplicasAreReportedAndSpecReplicasWritten() {
    var md = cluster.machineDeployment("md", 2, Map.of());
    Fields.set(md, "status.readyReplicas", 1);
    cluster.api.update(Capi.MACHINE_DEPLOYMENT, md);

    assertThat(groups.replicas(TYPE, CapiMockCluster.NS + "/md")).isEqualTo(1);
    groups.setReplicas(TYPE, "md", 5);
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(5);
  }

  @Test
  void boundsMissingGroupsAndOtherTypesAreErrors() {
    cluster.machineDeployment("md", 1, Map.of(Capi.MAX_SIZE_ANNOTATION, "3"));
    assertThatThrownBy(() -> groups.setReplicas(TYPE, "md", 4))
        .isInstanceOf(CloudProviderException.class)
        .hasMessageContaining("max 3");
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
    assertThatThrownBy(() -> groups.setReplicas(TYPE, "capi/none", 1))
        .isInstanceOf(NodeGroupNotFoundException.class)
        .hasMessageContaining("capi/none not found");
    assertThatThrownBy(() -> groups.replicas(TYPE, "a/b/c"))
        .isInstanceOf(NodeGroupNotFoundException.class);
    assertThatThrownBy(() -> groups.replicas("AWSEKSNodeGroup", "md"))
        .hasMessageContaining("not supported by the clusterapi plugin");
  }
}
