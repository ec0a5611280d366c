package dev.dovetail.clusterapi.machine;

import dev.dovetail.cloudprovider.CreateException;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.clusterapi.capi.Capi;
import dev.dovetail.clusterapi.capi.CapiApi;
import dev.dovetail.clusterapi.capi.Fields;
import dev.dovetail.clusterapi.capi.Machines;
import dev.dovetail.clusterapi.capi.ReplicaIntents;
import dev.dovetail.clusterapi.capi.ReplicaScaler;
import dev.dovetail.clusterapi.capi.ReplicaScaler.Outcome;
import dev.dovetail.clusterapi.capi.ScalableResource;
import dev.dovetail.clusterapi.capi.ScalableResourceRef;
import dev.dovetail.clusterapi.instancetype.ResolvedResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Create: turn a NodeClaim into a Machine of one of the scalable resources its instance types name.
 *
 * <ol>
 *   <li>A Machine already claimed for the NodeClaim is returned (idempotent create, and re-entry
 *       after a crash once the claim was made).
 *   <li>Otherwise a Machine is reserved on the chosen resource in one guarded update: the claim is
 *       recorded in the resource's {@link ReplicaIntents} and {@code spec.replicas} goes up by one
 *       unless a replica is already free for it (replicas not held by a claimed Machine outnumber
 *       the open reservations; CAPI may not have created that Machine yet). A claim found among the
 *       reservations after a restart is not reserved again.
 *   <li>A free Machine of that resource is claimed (label and annotations, guarded by its
 *       resourceVersion so two claimers never take the same one) and the reservation settled.
 *   <li>The Instance is returned once the Machine has a providerID; until then {@link
 *       MachinePendingException} tells the core to come back.
 * </ol>
 */
public final class MachineClaimer {
  /** CAPI's {@code MachineStatusError} for an infrastructure that had no capacity. */
  public static final String INSUFFICIENT_RESOURCES = "InsufficientResources";

  private final CapiApi api;
  private final Machines machines;
  private final ReplicaScaler scaler;
  private final Clock clock;
  private final Duration wait;
  // gives a failed Machine back at once: its replica, not a wait for CAPI to remove it
  private final MachineReleaser releaser;

  public MachineClaimer(CapiApi api, Clock clock, Duration wait) {
    this.api = api;
    this.releaser = new MachineReleaser(api, clock, Duration.ZERO);
    this.machines = new Machines(api);
    this.scaler = new ReplicaScaler(api.client());
    this.clock = clock;
    this.wait = wait;
  }

  /**
   * @param candidates the selected resources, resolved
   * @param resolveOwner resolves a claimed Machine's resource again (for its capacity and labels)
   */
  public Instance create(
      NodeClaimView claim,
      List<ResolvedResource> candidates,
      Function<ScalableResourceRef, Optional<ResolvedResource>> resolveOwner) {
    long deadline = System.nanoTime() + wait.toNanos();
    Optional<GenericKubernetesResource> existing = machines.byClaim(claim.name());
    if (existing.isPresent()) {
      ScalableResourceRef ref = owner(existing.get());
      settleReservation(ref, claim.name());
      ResolvedResource owner =
          resolveOwner
              .apply(ref)
              .orElseGet(
                  () ->
                      candidates.stream()
                          .filter(c -> c.resource().ref().equals(ref))
                          .findFirst()
                          .orElse(null));
      return awaitProviderId(existing.get(), owner, deadline);
    }
    List<ResolvedResource> compatible = compatible(claim, candidates);
    if (compatible.isEmpty()) {
      throw new CreateException(
          "NoCompatibleScalableResource",
          "no selected scalable resource offers an instance type in "
              + claim.instanceTypeOptions()
              + " compatible with the NodeClaim's requirements");
    }
    // A reservation made before a restart is honoured first: scaling again would add a Machine.
    ResolvedResource chosen =
        compatible.stream()
            .filter(
                c -> ReplicaIntents.of(c.resource().object()).pending().containsKey(claim.name()))
            .findFirst()
            .orElse(null);
    List<OfferingKey> full = new ArrayList<>();
    if (chosen == null) {
      for (ResolvedResource c : compatible) {
        if (reserve(c.resource().ref(), claim.name())) {
          chosen = c;
          break;
        }
        Offering o = c.instanceType().offerings().get(0);
        full.add(o.key(c.instanceType().name()));
      }
    }
    if (chosen == null) {
      throw new InsufficientCapacityException(
          "every compatible scalable resource is at its max size", full);
    }
    GenericKubernetesResource machine = claimFree(chosen, claim, deadline);
    settleReservation(chosen.resource().ref(), claim.name());
    return awaitProviderId(machine, chosen, deadline);
  }

  /** Resources whose instance type the claim accepts, in the claim's order (cheapest first). */
  static List<ResolvedResource> compatible(NodeClaimView claim, List<ResolvedResource> all) {
    List<String> options = claim.instanceTypeOptions();
    List<ResolvedResource> out = new ArrayList<>();
    for (ResolvedResource r : all) {
      if (!r.usable()) {
        continue;
      }
      InstanceType it = r.instanceType();
      if (!options.isEmpty() && !options.contains(it.name())) {
        continue;
      }
      if (!agrees(it, claim)) {
        continue;
      }
      if (it.offerings().stream().noneMatch(o -> o.compatibleWith(claim.requirements()))) {
        continue;
      }
      if (!claim.requests().fitsIn(it.allocatable())) {
        continue;
      }
      out.add(r);
    }
    if (!options.isEmpty()) {
      out.sort(Comparator.comparingInt(r -> options.indexOf(r.instanceType().name())));
    }
    return out;
  }

  /**
   * Whether the type's own requirements agree with the claim's on every key both name. Keys the
   * type does not define (the NodePool's own labels) were settled by the core's scheduler, which
   * puts them on the NodeClaim and so on the node.
   */
  private static boolean agrees(InstanceType it, NodeClaimView claim) {
    for (var r : claim.requirements().all()) {
      var mine = it.requirements().get(r.key());
      if (mine != null && !mine.intersects(r)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Records the reservation, raising replicas when no free Machine is left for it.
   *
   * @return false when the resource is at its max size (nothing written)
   */
  boolean reserve(ScalableResourceRef ref, String claim) {
    Instant now = clock.instant();
    return scaler.modify(
        api.context(ref.kind()),
        ref.namespace(),
        ref.name(),
        obj -> {
          ReplicaIntents intents = ReplicaIntents.of(obj);
          if (intents.pending().containsKey(claim)) {
            return Outcome.keep(true);
          }
          // Replicas no claimed Machine holds are free, whether CAPI has created their Machine
          // yet or not; open reservations already spoke for some of them.
          int replicas = ReplicaScaler.replicas(obj);
          long held =
              machines.of(ref).stream()
                  .filter(m -> Machines.claim(m) != null && !Machines.deleting(m))
                  .count();
          if (replicas - held > intents.pending().size()) {
            intents.withPending(claim, now, false).writeTo(obj);
            return Outcome.write(true);
          }
          if (replicas + 1 > ReplicaScaler.bounds(obj).max()) {
            return Outcome.keep(false);
          }
          ReplicaScaler.setReplicas(obj, replicas + 1);
          intents.withPending(claim, now, true).writeTo(obj);
          return Outcome.write(true);
        });
  }

  /** Drops the claim's reservation (it holds a Machine now). */
  void settleReservation(ScalableResourceRef ref, String claim) {
    try {
      scaler.modify(
          api.context(ref.kind()),
          ref.namespace(),
          ref.name(),
          obj -> {
            ReplicaIntents intents = ReplicaIntents.of(obj);
            if (!intents.pending().containsKey(claim)) {
              return Outcome.keep(null);
            }
            intents.withoutPending(claim).writeTo(obj);
            return Outcome.write(null);
          });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** Claims the oldest free Machine of the resource, waiting for CAPI to create one. */
  private GenericKubernetesResource claimFree(
      ResolvedResource chosen, NodeClaimView claim, long deadline) {
    ScalableResourceRef ref = chosen.resource().ref();
    while (true) {
      for (GenericKubernetesResource m : machines.unclaimed(ref)) {
        Optional<GenericKubernetesResource> won = tryClaim(m, chosen, claim);
        if (won.isPresent()) {
          return won.get();
        }
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new MachinePendingException(
            "AwaitingMachine",
            ref + " has no free Machine yet for NodeClaim " + claim.name() + "; retrying");
      }
      sleep();
    }
  }

  private Optional<GenericKubernetesResource> tryClaim(
      GenericKubernetesResource m, ResolvedResource chosen, NodeClaimView claim) {
    ScalableResource r = chosen.resource();
    InstanceType it = chosen.instanceType();
    Offering o = it.offerings().get(0);
    Fields.label(m, Capi.NODECLAIM_LABEL, claim.name());
    Fields.annotate(m, Capi.NODECLAIM_ANNOTATION, claim.name());
    Fields.annotate(m, Capi.NODEPOOL_ANNOTATION, claim.nodePool());
    Fields.annotate(m, Capi.CLAIMED_AT_ANNOTATION, clock.instant().toString());
    Fields.annotate(m, Capi.OWNER_ANNOTATION, r.ref().toString());
    Fields.annotate(m, Capi.TEMPLATE_ANNOTATION, r.templateFingerprint());
    Fields.annotate(m, Instances.INSTANCE_TYPE_ANNOTATION, it.name());
    Fields.annotate(m, Instances.ZONE_ANNOTATION, o.zone());
    Fields.annotate(m, Instances.CAPACITY_TYPE_ANNOTATION, o.capacityType());
    try {
      return Optional.of(api.update(Capi.MACHINE, m));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 || e.getCode() == 404) {
        return Optional.empty(); // another claimer took it, or CAPI removed it
      }
      throw e;
    }
  }

  private Instance awaitProviderId(
      GenericKubernetesResource machine, ResolvedResource owner, long deadline) {
    GenericKubernetesResource m = machine;
    while (Machines.providerId(m) == null) {
      failIfFailed(m, owner);
      if (System.nanoTime() - deadline >= 0) {
        throw new MachinePendingException(
            "AwaitingProviderID",
            "Machine "
                + m.getMetadata().getNamespace()
                + "/"
                + m.getMetadata().getName()
                + " has no providerID yet; retrying");
      }
      sleep();
      m =
          machines
              .get(m.getMetadata().getNamespace(), m.getMetadata().getName())
              .orElseThrow(
                  () ->
                      new MachinePendingException(
                          "MachineDeleted",
                          "the claimed Machine "
                              + machine.getMetadata().getName()
                              + " was deleted before it got a providerID"));
    }
    return Instances.of(m, owner);
  }

  /**
   * A Machine CAPI marked failed never gets a providerID: waiting for one would keep the NodeClaim
   * stuck until its launch timeout. The Machine is given back (delete-machine, replica returned, as
   * a delete does) and the launch fails: with {@link InsufficientCapacityException} naming the
   * offering when the infrastructure had no capacity (CAPI's {@code InsufficientResources}, or a
   * provider's capacity message under another reason), so the core re-plans elsewhere; with {@link
   * CreateException} carrying CAPI's reason otherwise.
   */
  private void failIfFailed(GenericKubernetesResource m, ResolvedResource owner) {
    String reason = Machines.failureReason(m);
    if (reason == null) {
      return;
    }
    String what =
        "Machine %s/%s failed: %s: %s"
            .formatted(
                m.getMetadata().getNamespace(),
                m.getMetadata().getName(),
                reason,
                Machines.failureMessage(m));
    releaser.release(m);
    if (owner != null && isCapacity(reason, Machines.failureMessage(m))) {
      Offering o = owner.instanceType().offerings().get(0);
      throw new InsufficientCapacityException(what, List.of(o.key(owner.instanceType().name())));
    }
    throw new CreateException(reason, what);
  }

  static boolean isCapacity(String reason, String message) {
    String msg = message.toLowerCase(java.util.Locale.ROOT);
    return INSUFFICIENT_RESOURCES.equals(reason)
        || msg.contains("insufficient capacity")
        || msg.contains("insufficientinstancecapacity")
        || msg.contains("zone_resource_pool_exhausted")
        || msg.contains("allocationfailed");
  }

  static ScalableResourceRef owner(GenericKubernetesResource m) {
    return ScalableResourceRef.parse(Fields.annotations(m).get(Capi.OWNER_ANNOTATION));
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MachinePendingException("Interrupted", "interrupted while waiting for CAPI");
    }
  }
}
