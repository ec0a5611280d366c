package dev.dovetail.clusterapi;

import dev.dovetail.clusterapi.capi.Capi;
import dev.dovetail.clusterapi.capi.CapiApi;
import dev.dovetail.clusterapi.capi.Fields;
import dev.dovetail.clusterapi.capi.Machines;
import dev.dovetail.clusterapi.capi.ScalableResourceRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A small stand-in for CAPI's MachineDeployment/MachineSet/MachinePool and Machine controllers:
 * replicas above the live Machines create Machines (with the resource's labels, version and
 * template refs); replicas below delete Machines, those annotated {@code delete-machine} first,
 * then the newest; a new Machine gets a providerID (and a nodeRef) on the next pass unless
 * providerIDs are switched off. {@code onProvisioned} lets a test kubelet create the Node.
 */
final class FakeCapiController implements AutoCloseable {
  private final CapiApi api;
  private final ScheduledExecutorService loop;
  private final AtomicBoolean assignProviderIds = new AtomicBoolean(true);
  private final AtomicInteger created = new AtomicInteger();
  private final AtomicInteger seq = new AtomicInteger();
  private volatile Consumer<GenericKubernetesResource> onProvisioned = m -> {};
  private final Map<String, String[]> failing = new java.util.concurrent.ConcurrentHashMap<>();

  FakeCapiController(CapiApi api) {
    this.api = api;
    this.loop = Executors.newSingleThreadScheduledExecutor();
  }

  FakeCapiController start() {
    loop.scheduleWithFixedDelay(
        () -> {
          try {
            reconcile();
          } catch (RuntimeException e) {
            // conflicts with the bridge's writes: the next pass sees the new state
          }
        },
        0,
        30,
        TimeUnit.MILLISECONDS);
    return this;
  }

  void assignProviderIds(boolean on) {
    assignProviderIds.set(on);
  }

  /**
   * New Machines of this scalable resource fail as CAPI marks a Machine its infrastructure could
   * not provision: phase Failed, {@code status.failureReason} and {@code failureMessage}, no
   * providerID.
   */
  void failMachines(String resource, String reason, String message) {
    failing.put(resource, new String[] {reason, message});
  }

  void onProvisioned(Consumer<GenericKubernetesResource> hook) {
    this.onProvisioned = hook;
  }

  /** How many Machines it has created so far. */
  int created() {
    return created.get();
  }

  static String providerId(String machine) {
    return "capi-test:///" + CapiMockCluster.NS + "/" + machine;
  }

  synchronized void reconcile() {
    for (String kind : ScalableResourceRef.KINDS) {
      for (GenericKubernetesResource r : api.list(kind, null, Map.of())) {
        scale(kind, r);
      }
    }
    if (assignProviderIds.get()) {
      for (GenericKubernetesResource m : api.list(Capi.MACHINE, null, Map.of())) {
        if (Machines.providerId(m) == null
            && !Machines.deleting(m)
            && Machines.failureReason(m) == null) {
          Fields.set(m, "spec.providerID", providerId(m.getMetadata().getName()));
          Fields.set(m, "status.phase", "Running");
          Fields.set(
              m, "status.nodeRef", new LinkedHashMap<>(Map.of("name", m.getMetadata().getName())));
          try {
            GenericKubernetesResource updated = api.update(Capi.MACHINE, m);
            onProvisioned.accept(updated);
          } catch (KubernetesClientException e) {
            // the bridge changed it meanwhile: next pass
          }
        }
      }
    }
  }

  private void scale(String kind, GenericKubernetesResource r) {
    ScalableResourceRef ref =
        new ScalableResourceRef(kind, r.getMetadata().getNamespace(), r.getMetadata().getName());
    int want = ((Number) Fields.get(r, "spec.replicas")).intValue();
    List<GenericKubernetesResource> live =
        new ArrayList<>(
            api.list(Capi.MACHINE, ref.namespace(), Map.of(ref.machineLabel(), ref.name())));
    while (live.size() < want) {
      live.add(createMachine(ref, r));
    }
    if (live.size() > want) {
      live.sort(
          Comparator.comparing(
                  (GenericKubernetesResource m) ->
                      Fields.annotations(m).containsKey(Capi.DELETE_MACHINE_ANNOTATION) ? 0 : 1)
              .thenComparing(
                  (GenericKubernetesResource m) -> m.getMetadata().getName(),
                  Comparator.reverseOrder()));
      for (int i = 0; i < live.size() - want; i++) {
        GenericKubernetesResource victim = live.get(i);
        api.resources(Capi.MACHINE)
            .inNamespace(ref.namespace())
            .withName(victim.getMetadata().getName())
            .delete();
      }
    }
  }

  private GenericKubernetesResource createMachine(
      ScalableResourceRef ref, GenericKubernetesResource r) {
    String name = String.format("%s-%04d", ref.name(), seq.incrementAndGet());
    GenericKubernetesResource m = new GenericKubernetesResource();
    m.setApiVersion(Capi.GROUP + "/" + Capi.V1BETA1);
    m.setKind(Capi.MACHINE);
    m.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(ref.namespace())
            .withCreationTimestamp(Instant.now().toString())
            .withLabels(
                Map.of(
                    ref.machineLabel(),
                    ref.name(),
                    Capi.CLUSTER_NAME_LABEL,
                    CapiMockCluster.CLUSTER))
            .build());
    Fields.set(m, "spec.clusterName", CapiMockCluster.CLUSTER);
    Fields.set(m, "spec.version", Fields.string(r, "spec.template.spec.version"));
    Fields.set(m, "status.phase", "Provisioning");
    String[] failure = failing.get(ref.name());
    if (failure != null) {
      Fields.set(m, "status.phase", "Failed");
      Fields.set(m, "status.failureReason", failure[0]);
      Fields.set(m, "status.failureMessage", failure[1]);
    }
    created.incrementAndGet();
    return api.resources(Capi.MACHINE).inNamespace(ref.namespace()).resource(m).create();
  }

  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
