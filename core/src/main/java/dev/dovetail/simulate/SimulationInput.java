package dev.dovetail.simulate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.UnavailableOfferings;
import dev.dovetail.provider.CloudProviderFacade;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files turned into what the controller's code reads: a {@link FileCluster} (pods expanded from
 * workloads, nodes with their NodeClaims, PDBs with their status computed) and a cloud facade that
 * resolves NodeClasses from the files. A NodePool whose NodeClass kind the provider does not read
 * (an EC2NodeClass when simulating with the simulated cloud's AWS catalog) is pointed at the
 * provider's own NodeClass kind, so a user's manifests work offline unchanged.
 */
record SimulationInput(
    FileCluster cluster, CloudProviderFacade cloud, List<Pod> pending, List<String> notes) {

  static SimulationInput of(Manifests m, CloudProvider provider, Instant now) {
    List<String> notes = new ArrayList<>(m.ignored());
    List<NodePool> pools = new ArrayList<>();
    for (NodePool pool : m.nodePools()) {
      pools.add(pointedAtProvider(pool, provider, notes));
    }
    List<Pod> pods = new ArrayList<>(m.pods());
    pods.addAll(WorkloadPods.expand(m));
    List<Pod> pending = new ArrayList<>();
    for (Pod p : pods) {
      boolean bound =
          p.getSpec() != null
              && p.getSpec().getNodeName() != null
              && !p.getSpec().getNodeName().isEmpty();
      String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
      if (!bound && !"Succeeded".equals(phase) && !"Failed".equals(phase)) {
        pending.add(p);
      }
    }
    List<PodDisruptionBudget> pdbs = PdbStatus.computed(m.podDisruptionBudgets(), pods);
    FileCluster cluster = new FileCluster(pods, m.nodes(), pools, m.daemonSets(), pdbs, now);
    CloudProviderFacade cloud =
        new CloudProviderFacade(
            provider,
            ref -> resolve(ref, provider, m.nodeClasses()),
            new UnavailableOfferings(
                Clock.fixed(now, ZoneOffset.UTC), UnavailableOfferings.DEFAULT_TTL));
    return new SimulationInput(cluster, cloud, List.copyOf(pending), List.copyOf(notes));
  }

  private static NodePool pointedAtProvider(
      NodePool pool, CloudProvider provider, List<String> notes) {
    NodeClassReference ref = pool.getSpec().getTemplate().getSpec().getNodeClassRef();
    List<NodeClassKind> kinds = provider.supportedNodeClasses();
    if (kinds.isEmpty()
        || (ref != null
            && kinds.stream().anyMatch(k -> k.matches(ref.getGroup(), ref.getKind())))) {
      return pool;
    }
    NodeClassKind own = kinds.get(0);
    NodePool copy = Serialization.clone(pool);
    NodeClassReference mine = new NodeClassReference();
    mine.setGroup(own.group());
    mine.setKind(own.kind());
    mine.setName(ref == null ? "default" : ref.getName());
    copy.getSpec().getTemplate().getSpec().setNodeClassRef(mine);
    notes.add(
        "NodePool "
            + pool.getMetadata().getName()
            + ": "
            + (ref == null ? "no nodeClassRef" : ref.getKind() + "/" + ref.getName())
            + " simulated as "
            + provider.name()
            + "'s "
            + own.kind());
    return copy;
  }

  /**
   * The NodeClass a reference names: the one in the files when the provider reads that kind, or a
   * default object of the provider's kind for a NodePool pointed at it above.
   */
  private static Optional<Object> resolve(
      NodeClassReference ref, CloudProvider provider, List<ObjectNode> inFiles) {
    for (NodeClassKind kind : provider.supportedNodeClasses()) {
      if (!kind.matches(ref.getGroup(), ref.getKind())) {
        continue;
      }
      for (ObjectNode nc : inFiles) {
        if (kind.kind().equals(nc.path("kind").asText())
            && ref.getName().equals(nc.path("metadata").path("name").asText())) {
          return Optional.of(Serialization.jsonMapper().convertValue(nc, kind.type()));
        }
      }
      try {
        HasMetadata obj = kind.type().getDeclaredConstructor().newInstance();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(ref.getName());
        obj.setMetadata(meta);
        return Optional.of(obj);
      } catch (ReflectiveOperationException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
