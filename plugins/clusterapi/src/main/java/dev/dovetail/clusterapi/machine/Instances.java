package dev.dovetail.clusterapi.machine;

import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.clusterapi.capi.Capi;
import dev.dovetail.clusterapi.capi.Fields;
import dev.dovetail.clusterapi.capi.Machines;
import dev.dovetail.clusterapi.instancetype.ResolvedResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A claimed Machine as an {@link Instance}. What the claim resolved (instance type, zone, capacity
 * type) is recorded on the Machine when it is claimed, so get and list need no other lookup.
 */
public final class Instances {
  static final String INSTANCE_TYPE_ANNOTATION = "karpenter.cluster.x-k8s.io/instance-type";
  static final String ZONE_ANNOTATION = "karpenter.cluster.x-k8s.io/zone";
  static final String CAPACITY_TYPE_ANNOTATION = "karpenter.cluster.x-k8s.io/capacity-type";

  private Instances() {}

  /** The claimed Machine as an Instance, with its resource's labels and capacity when known. */
  public static Instance of(GenericKubernetesResource m, ResolvedResource owner) {
    return toInstance(
        m,
        owner == null ? Map.of() : owner.nodeLabels(),
        owner == null || !owner.usable() ? null : owner.instanceType().capacity(),
        owner == null || !owner.usable() ? null : owner.instanceType().allocatable());
  }

  static Instance toInstance(
      GenericKubernetesResource m,
      Map<String, String> nodeLabels,
      Resources capacity,
      Resources allocatable) {
    Map<String, String> a = Fields.annotations(m);
    Map<String, String> labels = new LinkedHashMap<>(nodeLabels);
    String type = a.get(INSTANCE_TYPE_ANNOTATION);
    String zone = a.get(ZONE_ANNOTATION);
    String capacityType = a.get(CAPACITY_TYPE_ANNOTATION);
    labels.put(WellKnownLabels.INSTANCE_TYPE, type);
    labels.put(WellKnownLabels.ZONE, zone);
    labels.put(WellKnownLabels.CAPACITY_TYPE, capacityType);
    String machine = m.getMetadata().getName();
    if (machine.length() <= 63) { // a label value; CAPI's own annotation on the Node has it anyway
      labels.put(Capi.MACHINE_LABEL, machine);
    }
    String created = m.getMetadata().getCreationTimestamp();
    return new Instance(
        Machines.providerId(m),
        Machines.claim(m),
        a.get(Capi.NODEPOOL_ANNOTATION),
        type,
        zone,
        capacityType,
        null,
        labels,
        capacity,
        allocatable,
        created == null ? null : Instant.parse(created),
        state(m));
  }

  /** CAPI's phase in lower case; {@code terminating} once deletion has begun. */
  static String state(GenericKubernetesResource m) {
    if (Machines.deleting(m)) {
      return "terminating";
    }
    String phase = Fields.string(m, "status.phase");
    return phase == null ? "pending" : phase.toLowerCase(Locale.ROOT);
  }
}
