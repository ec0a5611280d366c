package dev.dovetail.clusterapi.capi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.InetAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which CAPI version the bridge speaks, from the API server's discovery document. */
class CapiApiDiscoveryMockTest {
  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client =
        server.createClient(b -> b.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig());
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  private void serves(String... versions) {
    APIGroupBuilder group = new APIGroupBuilder().withName(Capi.GROUP);
    for (String v : versions) {
      group.addNewVersion().withGroupVersion(Capi.GROUP + "/" + v).withVersion(v).endVersion();
    }
    group
        .withNewPreferredVersion()
        .withGroupVersion(Capi.GROUP + "/" + versions[0])
        .withVersion(versions[0])
        .endPreferredVersion();
    server.expect().get().withPath("/apis/" + Capi.GROUP).andReturn(200, group.build()).always();
  }

  @Test
  void v1beta2IsUsedWhenServed() {
    serves("v1beta2", "v1beta1");
    CapiApi api = new CapiApi(client);
    assertThat(api.version()).isEqualTo("v1beta2");
    assertThat(api.context(Capi.MACHINE_DEPLOYMENT).getVersion()).isEqualTo("v1beta2");
    assertThat(api.context(Capi.MACHINE_DEPLOYMENT).getPlural()).isEqualTo("machinedeployments");
  }

  @Test
  void v1beta1OtherwiseAndWhenTheGroupIsNotDiscovered() {
    serves("v1beta1");
    assertThat(new CapiApi(client).version()).isEqualTo("v1beta1");
  }

  @Test
  void aDiscoveryFailureIsNotReadAsV1beta1() {
    server.expect().get().withPath("/apis/" + Capi.GROUP).andReturn(500, "boom").always();
    assertThatThrownBy(() -> new CapiApi(client)).isInstanceOf(KubernetesClientException.class);
  }
}
