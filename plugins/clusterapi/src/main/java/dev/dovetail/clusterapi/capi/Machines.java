package dev.dovetail.clusterapi.capi;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Queries on CAPI Machines: claimed by a NodeClaim, by providerID, free in a scalable resource. */
public final class Machines {
  private final CapiApi api;

  public Machines(CapiApi api) {
    this.api = api;
  }

  public static String providerId(GenericKubernetesResource m) {
    String p = Fields.string(m, "spec.providerID");
    return p == null || p.isBlank() ? null : p;
  }

  public static String claim(GenericKubernetesResource m) {
    return Fields.labels(m).get(Capi.NODECLAIM_LABEL);
  }

  /**
   * CAPI's terminal failure of the Machine: {@code status.failureReason} (v1beta1; under {@code
   * status.deprecated.v1beta1} in v1beta2), or null while it has none.
   */
  public static String failureReason(GenericKubernetesResource m) {
    String r = Fields.string(m, "status.failureReason");
    if (r == null) {
      r = Fields.string(m, "status.deprecated.v1beta1.failureReason");
    }
    return r == null || r.isBlank() ? null : r;
  }

  /** The failure's message, or "". */
  public static String failureMessage(GenericKubernetesResource m) {
    String msg = Fields.string(m, "status.failureMessage");
    if (msg == null) {
      msg = Fields.string(m, "status.deprecated.v1beta1.failureMessage");
    }
    return msg == null ? "" : msg;
  }

  public static boolean deleting(GenericKubernetesResource m) {
    return m.getMetadata().getDeletionTimestamp() != null
        || Fields.annotations(m).containsKey(Capi.DELETE_MACHINE_ANNOTATION);
  }

  /** The node CAPI linked to the Machine ({@code status.nodeRef.name}), or null. */
  public static String nodeName(GenericKubernetesResource m) {
    return Fields.string(m, "status.nodeRef.name");
  }

  /** Every Machine the bridge has claimed. */
  public List<GenericKubernetesResource> claimed() {
    return api.list(Capi.MACHINE, null, Map.of()).stream().filter(m -> claim(m) != null).toList();
  }

  /** The Machine claimed for this NodeClaim, if any. */
  public Optional<GenericKubernetesResource> byClaim(String nodeClaim) {
    return api.list(Capi.MACHINE, null, Map.of(Capi.NODECLAIM_LABEL, nodeClaim)).stream()
        .findFirst();
  }

  /** The claimed Machine with this providerID, if any. */
  public Optional<GenericKubernetesResource> byProviderId(String providerId) {
    return claimed().stream().filter(m -> providerId.equals(providerId(m))).findFirst();
  }

  /** Machines of the resource, oldest first. */
  public List<GenericKubernetesResource> of(ScalableResourceRef ref) {
    return api.list(Capi.MACHINE, ref.namespace(), Map.of(ref.machineLabel(), ref.name())).stream()
        .sorted(
            Comparator.comparing(
                    (GenericKubernetesResource m) ->
                        String.valueOf(m.getMetadata().getCreationTimestamp()))
                .thenComparing(m -> m.getMetadata().getName()))
        .toList();
  }

  /** Machines of the resource no NodeClaim holds and CAPI is not removing, oldest first. */
  public List<GenericKubernetesResource> unclaimed(ScalableResourceRef ref) {
    return of(ref).stream().filter(m -> claim(m) == null && !deleting(m)).toList();
  }

  public Optional<GenericKubernetesResource> get(String namespace, String name) {
    return api.get(Capi.MACHINE, namespace, name);
  }
}
