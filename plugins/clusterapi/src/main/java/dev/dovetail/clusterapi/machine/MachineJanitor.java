package dev.dovetail.clusterapi.machine;

import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.clusterapi.capi.Capi;
import dev.dovetail.clusterapi.capi.CapiApi;
import dev.dovetail.clusterapi.capi.Fields;
import dev.dovetail.clusterapi.capi.Machines;
import dev.dovetail.clusterapi.capi.ReplicaIntents;
import dev.dovetail.clusterapi.capi.ReplicaScaler;
import dev.dovetail.clusterapi.capi.ReplicaScaler.Outcome;
import dev.dovetail.clusterapi.capi.ScalableResourceRef;
import dev.dovetail.clusterapi.instancetype.ScaleFromZero;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Periodic clean-up of what a crash or a stuck CAPI leaves behind:
 *
 * <ul>
 *   <li>a claimed Machine that has no providerID a registration TTL after it was claimed is
 *       released (delete-machine, replicas down): its NodeClaim has been given up by the core,
 *       which cannot delete an instance it never got a providerID for;
 *   <li>a reservation older than the TTL whose NodeClaim never claimed a Machine is dropped, and
 *       the replica it added given back;
 *   <li>released-Machine records are forgotten once the Machine is gone;
 *   <li>the taints annotation of a Machine's resource is applied to its Node once CAPI links it.
 * </ul>
 */
public final class MachineJanitor {
  /** What one sweep did, for logs and tests. */
  public record Sweep(
      List<String> releasedMachines, List<String> droppedReservations, int tainted) {}

  private final CapiApi api;
  private final Machines machines;
  private final MachineReleaser releaser;
  private final ReplicaScaler scaler;
  private final NodeRegistrar nodes;
  private final Clock clock;
  private final Duration ttl;

  public MachineJanitor(
      CapiApi api, MachineReleaser releaser, NodeRegistrar nodes, Clock clock, Duration ttl) {
    this.api = api;
    this.machines = new Machines(api);
    this.releaser = releaser;
    this.scaler = new ReplicaScaler(api.client());
    this.nodes = nodes;
    this.clock = clock;
    this.ttl = ttl;
  }

  public Sweep sweep() {
    Instant now = clock.instant();
    List<GenericKubernetesResource> claimed = machines.claimed();
    List<String> released = new ArrayList<>();
    int tainted = 0;
    Set<String> claims = new HashSet<>();
    for (GenericKubernetesResource m : claimed) {
      claims.add(Machines.claim(m));
      if (Machines.deleting(m)) {
        continue;
      }
      if (Machines.providerId(m) == null && claimedBefore(m, now.minus(ttl))) {
        releaser.release(m);
        released.add(m.getMetadata().getNamespace() + "/" + m.getMetadata().getName());
        continue;
      }
      if (applyTaints(m)) {
        tainted++;
      }
    }
    List<String> dropped = new ArrayList<>();
    for (String kind : ScalableResourceRef.KINDS) {
      List<GenericKubernetesResource> items;
      try {
        items = api.list(kind, null, Map.of());
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          continue;
        }
        throw e;
      }
      for (GenericKubernetesResource obj : items) {
        if (!Fields.annotations(obj).containsKey(Capi.INTENTS_ANNOTATION)) {
          continue;
        }
        ScalableResourceRef ref =
            new ScalableResourceRef(
                kind, obj.getMetadata().getNamespace(), obj.getMetadata().getName());
        dropped.addAll(tidy(ref, claims, now));
      }
    }
    return new Sweep(released, dropped, tainted);
  }

  private static boolean claimedBefore(GenericKubernetesResource m, Instant cutoff) {
    String at = Fields.annotations(m).get(Capi.CLAIMED_AT_ANNOTATION);
    try {
      return at != null && Instant.parse(at).isBefore(cutoff);
    } catch (java.time.format.DateTimeParseException e) {
      return true; // a mangled stamp: treat as old rather than keep the Machine forever
    }
  }

  /** Drops settled or expired reservations and records of Machines that are gone. */
  private List<String> tidy(ScalableResourceRef ref, Set<String> claims, Instant now) {
    Set<String> existing = new HashSet<>();
    machines.of(ref).forEach(m -> existing.add(m.getMetadata().getName()));
    long cutoff = now.minus(ttl).getEpochSecond();
    try {
      return scaler.modify(
          api.context(ref.kind()),
          ref.namespace(),
          ref.name(),
          obj -> {
            ReplicaIntents intents = ReplicaIntents.of(obj);
            ReplicaIntents next = intents;
            List<String> gone = new ArrayList<>();
            int giveBack = 0;
            for (var e : intents.pending().entrySet()) {
              if (claims.contains(e.getKey())) {
                next = next.withoutPending(e.getKey());
              } else if (e.getValue().since() < cutoff) {
                next = next.withoutPending(e.getKey());
                gone.add(e.getKey());
                if (e.getValue().scaled()) {
                  giveBack++;
                }
              }
            }
            for (String machine : intents.released().keySet()) {
              if (!existing.contains(machine)) {
                next = next.withoutReleased(machine);
              }
            }
            if (next.equals(intents)) {
              return Outcome.keep(List.<String>of());
            }
            int replicas = ReplicaScaler.replicas(obj);
            int min = ReplicaScaler.bounds(obj).min();
            ReplicaScaler.setReplicas(obj, Math.max(Math.min(replicas, min), replicas - giveBack));
            next.writeTo(obj);
            return Outcome.write(gone);
          });
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return List.of();
      }
      throw e;
    }
  }

  /** Adds the resource's annotated taints the Node lacks; true when the Node was changed. */
  private boolean applyTaints(GenericKubernetesResource m) {
    String node = Machines.nodeName(m);
    if (node == null) {
      return false;
    }
    var owner = MachineReleaser.ownerOf(m);
    if (owner.isEmpty()) {
      return false;
    }
    List<Taint> wanted;
    try {
      wanted =
          api.get(owner.get().kind(), owner.get().namespace(), owner.get().name())
              .map(o -> ScaleFromZero.taints(Fields.annotations(o).get(Capi.TAINTS_ANNOTATION)))
              .orElse(List.of());
    } catch (IllegalArgumentException malformed) {
      return false; // reported on the NodeClass status
    }
    if (wanted.isEmpty()) {
      return false;
    }
    boolean[] changed = {false};
    try {
      nodes.update(node, n -> withTaints(n, wanted, changed));
    } catch (RuntimeException e) {
      return false; // the Node is not there yet; the next sweep tries again
    }
    return changed[0];
  }

  private static Node withTaints(Node n, List<Taint> wanted, boolean[] changed) {
    if (n.getSpec() == null) {
      n.setSpec(new io.fabric8.kubernetes.api.model.NodeSpec());
    }
    List<io.fabric8.kubernetes.api.model.Taint> have =
        n.getSpec().getTaints() == null
            ? new ArrayList<>()
            : new ArrayList<>(n.getSpec().getTaints());
    for (Taint t : wanted) {
      boolean present =
          have.stream()
              .anyMatch(h -> t.key().equals(h.getKey()) && t.effect().equals(h.getEffect()));
      if (!present) {
        have.add(new io.fabric8.kubernetes.api.model.Taint(t.effect(), t.key(), null, t.value()));
        changed[0] = true;
      }
    }
    n.getSpec().setTaints(have);
    return n;
  }
}
