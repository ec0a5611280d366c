package dev.dovetail.controllers.nodeclaim.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClaimStatus;
import dev.dovetail.controllers.Harness;
import dev.dovetail.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The status writers on fabric8's mock server: the replace works there, server-side apply does not
 * (415), which is why tests on that server wire the replace. The apply path is tested on the
 * embedded API server (demo's NodeClaimStatusWriterMockTest).
 */
class StatusWriterMockTest {
  private final EmbeddedApiServer api = EmbeddedApiServer.start();
  private final KubernetesClient client = api.client();

  @AfterEach
  void close() {
    client.close();
    api.close();
  }

  private static NodeClaim withProviderId(NodeClaim claim, String providerId) {
    NodeClaimStatus status = new NodeClaimStatus();
    status.setProviderID(providerId);
    claim.setStatus(status);
    return claim;
  }

  @Test
  void theReplaceWritesTheStatus() {
    NodeClaim created = client.resource(Harness.nodeClaim("a", null)).create();
    StatusWriter replace = StatusWriter.replace(client);

    assertThat(replace.write(withProviderId(created, "kwok://a"))).isTrue();
    NodeClaim stored = client.resources(NodeClaim.class).withName("a").get();
    assertThat(stored.getStatus().getProviderID()).isEqualTo("kwok://a");
    assertThat(stored.getSpec().getNodeClassRef().getName()).isEqualTo("default");
  }

  @Test
  void serverSideApplyIsNotSupportedByTheMockServer() {
    NodeClaim created = client.resource(Harness.nodeClaim("b", null)).create();
    assertThatThrownBy(
            () -> StatusWriter.serverSideApply(client).write(withProviderId(created, "kwok://b")))
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isNotEqualTo(409));
  }
}
