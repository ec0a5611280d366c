package dev.dovetail.controllers.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClaimSpec;
import dev.dovetail.apis.v1.NodeSelectorRequirementWithMinValues;
import dev.dovetail.kube.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A create that answers 409 for its own claim is the earlier try that landed; another's is not. */
class CreateOnceMockTest {
  private EmbeddedApiServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server = EmbeddedApiServer.start();
    client = server.client();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static NodeClaim claim(String name, String zone) {
    NodeClaim c = new NodeClaim();
    c.setMetadata(new ObjectMetaBuilder().withName(name).build());
    NodeClaimSpec spec = new NodeClaimSpec();
    NodeSelectorRequirementWithMinValues r = new NodeSelectorRequirementWithMinValues();
    r.setKey("topology.kubernetes.io/zone");
    r.setOperator("In");
    r.setValues(List.of(zone));
    spec.setRequirements(List.of(r));
    c.setSpec(spec);
    return c;
  }

  @Test
  void theSameClaimCreatedAgainIsTheStoredOne() {
    CreateOnce creates = new CreateOnce(client);
    NodeClaim first = creates.create(claim("default-abcde", "zone-a"));

    NodeClaim again = creates.create(claim("default-abcde", "zone-a"));

    assertThat(again.getMetadata().getUid()).isEqualTo(first.getMetadata().getUid());
    assertThat(client.resources(NodeClaim.class).list().getItems()).hasSize(1);
  }

  @Test
  void anotherClaimUnderTheNameIsAConflict() {
    CreateOnce creates = new CreateOnce(client);
    creates.create(claim("default-abcde", "zone-a"));

    assertThatThrownBy(() -> creates.create(claim("default-abcde", "zone-b")))
        .isInstanceOf(KubernetesClientException.class)
        .extracting(e -> ((KubernetesClientException) e).getCode())
        .isEqualTo(409);
  }
}
