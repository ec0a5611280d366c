package dev.dovetail.controllers.provisioning;

import dev.dovetail.apis.v1.NodeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A NodeClaim create that a client retry cannot turn into two claims: the provisioner's creates go
 * through it.
 */
final class CreateOnce {
  private final KubernetesClient client;

  CreateOnce(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Creates the claim. A 409 for its own generated name is an earlier try of this very create that
   * landed (the client retries a request that timed out: seen under load as "already exists"; taken
   * for a failure, its pods were solved again and bought a second claim), unless the stored claim
   * differs: then the name was someone else's.
   */
  NodeClaim create(NodeClaim claim) {
    try {
      return client.resource(claim).create();
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      if (e.getCode() == 409) {
        NodeClaim stored =
            client.resources(NodeClaim.class).withName(claim.getMetadata().getName()).get();
        if (stored != null && sameClaim(stored, claim)) {
          return stored;
        }
      }
      throw e;
    }
  }

  /**
   * By what no controller changes after the create (the lifecycle adds labels and a status at
   * launch): the requirements and the requests.
   */
  private boolean sameClaim(NodeClaim stored, NodeClaim wanted) {
    var json = client.getKubernetesSerialization();
    return json.asJson(stored.getSpec().getRequirements())
            .equals(json.asJson(wanted.getSpec().getRequirements()))
        && json.asJson(stored.getSpec().getResources())
            .equals(json.asJson(wanted.getSpec().getResources()));
  }
}
