package dev.dovetail.cloudprovider.testkit;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.CreateException;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.NodePoolInfo;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The kit's own test cloud: instances in a map (a copy of the starter's TinyCloud), so the kit's
 * checks can be run against a provider that keeps the contract and against broken variants of it.
 */
class InMemoryCloud implements CloudProvider {

  static final String NAME = "inmemory";
  private static final List<String> ZONES = List.of("mem-1a", "mem-1b");

  private final Map<String, Instance> instances = new ConcurrentHashMap<>();
  private final Set<OfferingKey> noCapacity = ConcurrentHashMap.newKeySet();
  private final AtomicLong ids = new AtomicLong();
  private Clock clock = Clock.systemUTC();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start(ProviderContext context) {
    clock = context.clock();
  }

  @Override
  public List<NodeClassKind> supportedNodeClasses() {
    return List.of(
        new NodeClassKind(
            "inmemory.example.com", "v1", "InMemoryNodeClass", GenericKubernetesResource.class));
  }

  @Override
  public List<InstanceType> instanceTypes(NodePoolInfo nodePool, Object nodeClass) {
    List<InstanceType> types = new ArrayList<>();
    int[] sizes = {2, 4, 8};
    for (int cpus : sizes) {
      List<Offering> offerings = new ArrayList<>();
      for (String zone : ZONES) {
        offerings.add(
            new Offering(zone, WellKnownLabels.CAPACITY_TYPE_ON_DEMAND, 0.02 * cpus, true));
        offerings.add(new Offering(zone, WellKnownLabels.CAPACITY_TYPE_SPOT, 0.007 * cpus, true));
      }
      String name = "mem." + cpus + "x";
      types.add(
          new InstanceType(
              name,
              Requirements.of(
                  Requirement.in(WellKnownLabels.INSTANCE_TYPE, name),
                  Requirement.in(WellKnownLabels.ARCH, "amd64"),
                  Requirement.in(WellKnownLabels.OS, "linux")),
              offerings,
              Resources.of(
                  Resources.CPU,
                  cpus * 1000L,
                  Resources.MEMORY,
                  cpus * (4L << 30),
                  Resources.PODS,
                  110L),
              null));
    }
    return types;
  }

  @Override
  public synchronized Instance create(NodeClaimView nodeClaim) {
    // Idempotent by NodeClaim name: the core retries a create whose answer it did not see.
    for (Instance existing : instances.values()) {
      if (nodeClaim.name().equals(existing.nodeClaim())) {
        return existing;
      }
    }
    Requirements wanted = nodeClaim.requirements();
    InstanceType bestType = null;
    Offering best = null;
    List<OfferingKey> refused = new ArrayList<>();
    for (InstanceType type : instanceTypes(null, nodeClaim.nodeClass())) {
      if (!fits(type, wanted)) {
        continue;
      }
      for (Offering offering : type.availableOfferings()) {
        if (!offering.compatibleWith(wanted)) {
          continue;
        }
        if (noCapacity.contains(offering.key(type.name()))) {
          refused.add(offering.key(type.name()));
          continue;
        }
        if (best == null || offering.price() < best.price()) {
          best = offering;
          bestType = type;
        }
      }
    }
    if (best == null) {
      if (!refused.isEmpty()) {
        throw new InsufficientCapacityException("no capacity for " + refused, refused);
      }
      throw new CreateException(
          "NoCompatibleOffering", "no instance type satisfies " + nodeClaim.requirements());
    }
    String providerId = NAME + ":///" + best.zone() + "/i-" + ids.incrementAndGet();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(WellKnownLabels.INSTANCE_TYPE, bestType.name());
    labels.put(WellKnownLabels.ZONE, best.zone());
    labels.put(WellKnownLabels.CAPACITY_TYPE, best.capacityType());
    Instance instance =
        new Instance(
            providerId,
            nodeClaim.name(),
            nodeClaim.nodePool(),
            bestType.name(),
            best.zone(),
            best.capacityType(),
            "mem-image-1",
            labels,
            bestType.capacity(),
            bestType.allocatable(),
            clock.instant(),
            "running");
    instances.put(providerId, instance);
    return instance;
  }

  @Override
  public void delete(String providerId) {
    if (instances.remove(providerId) == null) {
      throw new NodeClaimNotFoundException("no instance " + providerId);
    }
  }

  @Override
  public Instance get(String providerId) {
    Instance instance = instances.get(providerId);
    if (instance == null) {
      throw new NodeClaimNotFoundException("no instance " + providerId);
    }
    return instance;
  }

  @Override
  public List<Instance> list() {
    return List.copyOf(instances.values());
  }

  /** Whether the type's name and labels (arch, os, ...) are allowed by the claim. */
  private static boolean fits(InstanceType type, Requirements wanted) {
    Requirement names = wanted.get(WellKnownLabels.INSTANCE_TYPE);
    if (names != null && !names.has(type.name())) {
      return false;
    }
    for (Requirement r : wanted.all()) {
      Requirement mine = type.requirements().get(r.key());
      if (mine != null && !mine.intersects(r)) {
        return false;
      }
    }
    return true;
  }

  /** Test hook: records an instance as if this cloud had launched it (to simulate a leak). */
  void adopt(Instance instance) {
    String id = instance.providerId() + "-leaked";
    instances.put(
        id,
        new Instance(
            id,
            instance.nodeClaim(),
            instance.nodePool(),
            instance.instanceType(),
            instance.zone(),
            instance.capacityType(),
            instance.imageId(),
            instance.labels(),
            instance.capacity(),
            instance.allocatable(),
            instance.launchTime(),
            instance.state()));
  }

  /** Test hook: launches on this offering fail with insufficient capacity from now on. */
  void exhaust(OfferingKey offering) {
    noCapacity.add(offering);
  }
}
