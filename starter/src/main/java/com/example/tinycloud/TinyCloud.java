package com.example.tinycloud;

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
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.pf4j.Extension;

/**
 * TinyCloud: a provider whose "cloud" is a map in memory. Replace the map with your cloud's API
 * client; keep the contract the conformance kit checks (idempotent create by NodeClaim name, typed
 * errors, every instance tagged with its NodeClaim and NodePool).
 *
 * <p>{@code @Extension} plus PF4J's annotation processor (see pom.xml) write
 * META-INF/extensions.idx, through which Dovetail finds this class in the plugin JAR.
 */
@Extension
public class TinyCloud implements CloudProvider {

  static final String NAME = "tinycloud";
  private static final List<String> ZONES = List.of("tiny-1a", "tiny-1b");

  private final Map<String, Instance> instances = new ConcurrentHashMap<>();
  private final Set<OfferingKey> noCapacity = ConcurrentHashMap.newKeySet();
  private final AtomicLong ids = new AtomicLong();
  private Clock clock = Clock.systemUTC();
  private TinyKubelet kubelet = new TinyKubelet(null);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start(ProviderContext context) {
    clock = context.clock();
    kubelet = new TinyKubelet(context.nodes());
    // context.setting("region") etc.: settings come from --provider-setting / DOVETAIL_PROVIDER_*
  }

  @Override
  public List<NodeClassKind> supportedNodeClasses() {
    return List.of(
        new NodeClassKind(
            TinyNodeClass.GROUP, TinyNodeClass.VERSION, TinyNodeClass.KIND, TinyNodeClass.class));
  }

  /** A machine shape of TinyCloud's catalog. */
  private record Shape(String name, int cpus, String arch, int gpus) {}

  private static final List<Shape> CATALOG =
      List.of(
          new Shape("tiny.2x", 2, "amd64", 0),
          new Shape("tiny.4x", 4, "amd64", 0),
          new Shape("tiny.8x", 8, "amd64", 0),
          new Shape("tiny.4x-arm", 4, "arm64", 0),
          new Shape("tiny.8x-gpu", 8, "amd64", 1));

  @Override
  public List<InstanceType> instanceTypes(NodePoolInfo nodePool, Object nodeClass) {
    // A real provider asks its cloud (and caches): types, zones, prices, availability.
    List<InstanceType> types = new ArrayList<>();
    for (Shape shape : CATALOG) {
      double hourly = 0.02 * shape.cpus() + 0.5 * shape.gpus();
      List<Offering> offerings = new ArrayList<>();
      for (String zone : ZONES) {
        offerings.add(new Offering(zone, WellKnownLabels.CAPACITY_TYPE_ON_DEMAND, hourly, true));
        offerings.add(new Offering(zone, WellKnownLabels.CAPACITY_TYPE_SPOT, hourly * 0.35, true));
      }
      Map<String, Long> capacity = new LinkedHashMap<>();
      capacity.put(Resources.CPU, shape.cpus() * 1000L);
      capacity.put(Resources.MEMORY, shape.cpus() * (4L << 30));
      capacity.put(Resources.PODS, 110L);
      if (shape.gpus() > 0) {
        capacity.put(Resources.NVIDIA_GPU, (long) shape.gpus());
      }
      types.add(
          new InstanceType(
              shape.name(),
              Requirements.of(
                  Requirement.in(WellKnownLabels.INSTANCE_TYPE, shape.name()),
                  Requirement.in(WellKnownLabels.ARCH, shape.arch()),
                  Requirement.in(WellKnownLabels.OS, "linux")),
              offerings,
              Resources.of(capacity),
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
    String arch = bestType.requirements().get(WellKnownLabels.ARCH).values().get(0);
    labels.put(WellKnownLabels.ARCH, arch);
    labels.put(WellKnownLabels.OS, "linux");
    Instance instance =
        new Instance(
            providerId,
            nodeClaim.name(),
            nodeClaim.nodePool(),
            bestType.name(),
            best.zone(),
            best.capacityType(),
            "tiny-image-1",
            labels,
            bestType.capacity(),
            bestType.allocatable(),
            clock.instant(),
            "running");
    instances.put(providerId, instance);
    kubelet.started(instance, nodeClaim);
    return instance;
  }

  @Override
  public void delete(String providerId) {
    Instance removed = instances.remove(providerId);
    if (removed == null) {
      throw new NodeClaimNotFoundException("no instance " + providerId);
    }
    kubelet.stopped(removed);
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

  /** Test hook: launches on this offering fail with insufficient capacity from now on. */
  void exhaust(OfferingKey offering) {
    noCapacity.add(offering);
  }
}
