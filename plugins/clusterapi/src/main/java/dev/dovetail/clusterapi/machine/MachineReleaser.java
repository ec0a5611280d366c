package dev.dovetail.clusterapi.machine;

import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.clusterapi.capi.Capi;
import dev.dovetail.clusterapi.capi.CapiApi;
import dev.dovetail.clusterapi.capi.Fields;
import dev.dovetail.clusterapi.capi.Machines;
import dev.dovetail.clusterapi.capi.ReplicaIntents;
import dev.dovetail.clusterapi.capi.ReplicaScaler;
import dev.dovetail.clusterapi.capi.ReplicaScaler.Outcome;
import dev.dovetail.clusterapi.capi.ScalableResourceRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Delete: give a claimed Machine back to CAPI. The Machine is annotated {@code
 * cluster.x-k8s.io/delete-machine} (so CAPI removes that one, not another) and its resource's
 * replicas go down by one in the same guarded update that records the Machine as released (so a
 * repeated delete never shrinks twice). At the min-size annotation replicas stay and the Machine
 * object is deleted instead: CAPI replaces it to keep the minimum, and the replacement is free for
 * the next claim.
 */
public final class MachineReleaser {
  private final CapiApi api;
  private final Machines machines;
  private final ReplicaScaler scaler;
  private final Clock clock;
  private final Duration wait;

  public MachineReleaser(CapiApi api, Clock clock, Duration wait) {
    this.api = api;
    this.machines = new Machines(api);
    this.scaler = new ReplicaScaler(api.client());
    this.clock = clock;
    this.wait = wait;
  }

  /**
   * Releases the Machine with this providerID and waits up to the configured time for CAPI to
   * remove it; returns normally while it is still going.
   *
   * @throws NodeClaimNotFoundException when no claimed Machine has the providerID (any more)
   */
  public void delete(String providerId) {
    GenericKubernetesResource m =
        machines
            .byProviderId(providerId)
            .orElseThrow(
                () -> new NodeClaimNotFoundException("no claimed Machine has " + providerId));
    release(m);
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (machines.get(m.getMetadata().getNamespace(), m.getMetadata().getName()).isEmpty()) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Annotates the Machine for deletion and gives its replica back (idempotent). */
  public void release(GenericKubernetesResource machine) {
    String ns = machine.getMetadata().getNamespace();
    String name = machine.getMetadata().getName();
    if (machine.getMetadata().getDeletionTimestamp() != null) {
      return; // CAPI is already removing it, and its replica was given back then
    }
    markForDeletion(ns, name);
    Optional<ScalableResourceRef> owner = ownerOf(machine);
    boolean shrunk = owner.isPresent() && giveBackReplica(owner.get(), name);
    if (!shrunk) {
      // At min size, or the resource is gone: remove the Machine itself.
      try {
        api.resources(Capi.MACHINE).inNamespace(ns).withName(name).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
  }

  private void markForDeletion(String ns, String name) {
    try {
      scaler.modify(
          api.context(Capi.MACHINE),
          ns,
          name,
          obj -> {
            if (Fields.annotations(obj).containsKey(Capi.DELETE_MACHINE_ANNOTATION)) {
              return Outcome.keep(null);
            }
            Fields.annotate(obj, Capi.DELETE_MACHINE_ANNOTATION, clock.instant().toString());
            return Outcome.write(null);
          });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /**
   * Lowers replicas by one for this Machine unless that was done already or the min size forbids
   * it.
   *
   * @return true when the replica was given back (now or before)
   */
  boolean giveBackReplica(ScalableResourceRef owner, String machine) {
    try {
      return scaler.modify(
          api.context(owner.kind()),
          owner.namespace(),
          owner.name(),
          obj -> {
            ReplicaIntents intents = ReplicaIntents.of(obj);
            if (intents.released().containsKey(machine)) {
              return Outcome.keep(true);
            }
            int replicas = ReplicaScaler.replicas(obj);
            if (replicas - 1 < ReplicaScaler.bounds(obj).min()) {
              return Outcome.keep(false);
            }
            ReplicaScaler.setReplicas(obj, replicas - 1);
            intents.withReleased(machine, clock.instant()).writeTo(obj);
            return Outcome.write(true);
          });
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  static Optional<ScalableResourceRef> ownerOf(GenericKubernetesResource m) {
    String owner = Fields.annotations(m).get(Capi.OWNER_ANNOTATION);
    if (owner != null) {
      try {
        return Optional.of(ScalableResourceRef.parse(owner));
      } catch (IllegalArgumentException e) {
        // fall through to CAPI's own labels
      }
    }
    var labels = Fields.labels(m);
    String ns = m.getMetadata().getNamespace();
    if (labels.containsKey(Capi.DEPLOYMENT_NAME_LABEL)) {
      return Optional.of(
          new ScalableResourceRef(
              Capi.MACHINE_DEPLOYMENT, ns, labels.get(Capi.DEPLOYMENT_NAME_LABEL)));
    }
    if (labels.containsKey(Capi.POOL_NAME_LABEL)) {
      return Optional.of(
          new ScalableResourceRef(Capi.MACHINE_POOL, ns, labels.get(Capi.POOL_NAME_LABEL)));
    }
    if (labels.containsKey(Capi.SET_NAME_LABEL)) {
      return Optional.of(
          new ScalableResourceRef(Capi.MACHINE_SET, ns, labels.get(Capi.SET_NAME_LABEL)));
    }
    return Optional.empty();
  }
}
