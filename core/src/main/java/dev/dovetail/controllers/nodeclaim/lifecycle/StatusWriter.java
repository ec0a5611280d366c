package dev.dovetail.controllers.nodeclaim.lifecycle;

import dev.dovetail.apis.v1.NodeClaim;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * How the lifecycle writes a NodeClaim's status. The default, {@link #serverSideApply}, is the
 * normal path on a real API server (what JOSDK's status patch sends): an apply of the status alone
 * to the {@code /status} subresource, so a concurrent change of the spec or metadata (labels,
 * finalizers, annotations written by other controllers) is never overwritten. {@link #replace} is
 * for API servers without server-side apply (fabric8's mock server, which answers an apply with 415
 * and applies merge patches to lists by appending); only tests on that server wire it.
 */
@FunctionalInterface
public interface StatusWriter {
  /** The field manager the lifecycle's status is owned by (JOSDK's: the controller's name). */
  String FIELD_MANAGER = "nodeclaim.lifecycle";

  /**
   * Writes {@code claim}'s status, guarded by the resourceVersion it was read at. False when the
   * claim changed since (409): the change event reconciles it again; any other failure throws.
   */
  boolean write(NodeClaim claim);

  /**
   * Server-side apply of {@code status} to {@code /status}, owned by {@link #FIELD_MANAGER} and
   * forced (the lifecycle is the status's only writer of these fields, as with JOSDK). The applied
   * configuration carries the resourceVersion read: a status computed from a stale copy (another
   * controller's condition written meanwhile) gets 409 instead of replacing the newer conditions.
   */
  static StatusWriter serverSideApply(KubernetesClient client) {
    return claim -> {
      NodeClaim applied = new NodeClaim();
      applied.setMetadata(
          new ObjectMetaBuilder()
              .withName(claim.getMetadata().getName())
              .withResourceVersion(claim.getMetadata().getResourceVersion())
              .build());
      applied.setStatus(claim.getStatus());
      return conflictIsFalse(
          () ->
              client
                  .resources(NodeClaim.class)
                  .withName(claim.getMetadata().getName())
                  .subresource("status")
                  .patch(
                      new PatchContext.Builder()
                          .withPatchType(PatchType.SERVER_SIDE_APPLY)
                          .withFieldManager(FIELD_MANAGER)
                          .withForce(true)
                          .build(),
                      applied));
    };
  }

  /**
   * A replace (PUT) of {@code /status} guarded by the resourceVersion read: for API servers without
   * server-side apply. On fabric8's mock server it also rewrites the metadata as read, which is why
   * it is not the default.
   */
  static StatusWriter replace(KubernetesClient client) {
    return claim -> conflictIsFalse(() -> client.resource(claim).updateStatus());
  }

  private static boolean conflictIsFalse(Runnable write) {
    try {
      write.run();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      return false;
    }
  }
}
