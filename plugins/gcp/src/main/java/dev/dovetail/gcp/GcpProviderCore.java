package dev.dovetail.gcp;

import com.google.cloud.compute.v1.Region;
import dev.dovetail.cloudprovider.CreateException;
import dev.dovetail.cloudprovider.DelegatingCloudProvider;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassNotReadyException;
import dev.dovetail.cloudprovider.NodeClassStatus;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.UnavailableOfferings;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.gcp.instancetype.InstanceTypeMapper;
import dev.dovetail.gcp.instancetype.MachineTypeInfo;
import dev.dovetail.gcp.instancetype.MachineTypeProvider;
import dev.dovetail.gcp.launch.GceErrors;
import dev.dovetail.gcp.launch.GceNames;
import dev.dovetail.gcp.launch.InstanceProvider;
import dev.dovetail.gcp.launch.InstanceRequests;
import dev.dovetail.gcp.launch.OperationWaiter;
import dev.dovetail.gcp.nodeclass.ImageResolver;
import dev.dovetail.gcp.nodeclass.NodeClassHash;
import dev.dovetail.gcp.nodeclass.NodeClassStatuses;
import dev.dovetail.gcp.pricing.PricingProvider;
import dev.dovetail.gcp.v1alpha1.GCENodeClass;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The GCP provider's logic behind the SPI: instance types for a GCENodeClass, launch across
 * offerings cheapest first (a stockout or quota error moves on to the next zone or type), get,
 * list, delete, drift and the NodeClass status.
 */
public final class GcpProviderCore implements DelegatingCloudProvider.Core {
  /** How many offerings one create tries before giving up with the capacity errors it saw. */
  static final int MAX_LAUNCH_ATTEMPTS = 12;

  private final GcpSettings settings;
  private final GceClients clients;
  private final Retrier retrier;
  private final PricingProvider pricing;
  private final UnavailableOfferings unavailable;
  private final MachineTypeProvider machineTypes;
  private final InstanceTypeMapper mapper;
  private final ImageResolver images;
  private final NodeClassStatuses statuses;
  private final InstanceRequests requests;
  private final InstanceProvider instances;
  private volatile List<String> zones;

  public GcpProviderCore(
      GcpSettings settings,
      GceClients clients,
      PricingProvider pricing,
      Clock clock,
      Duration operationPollInterval) {
    this.settings = settings;
    this.clients = clients;
    this.retrier = Retrier.of(settings);
    this.pricing = pricing;
    this.unavailable = new UnavailableOfferings(clock, Duration.ofMinutes(3));
    this.zones = settings.zones().isEmpty() ? null : settings.zones();
    this.machineTypes =
        new MachineTypeProvider(
            clients.machineTypes(),
            retrier,
            settings.project(),
            this::zones,
            clock,
            Duration.ofMinutes(30));
    this.mapper = new InstanceTypeMapper(settings.region(), pricing, unavailable);
    this.images = new ImageResolver(clients.images(), retrier);
    this.statuses = new NodeClassStatuses(images);
    this.requests = new InstanceRequests(settings);
    this.instances =
        new InstanceProvider(
            clients.instances(),
            new OperationWaiter(
                clients.zoneOperations(),
                retrier,
                settings.project(),
                settings.operationTimeout(),
                operationPollInterval),
            retrier,
            settings.project(),
            settings.clusterName());
  }

  public GcpSettings settings() {
    return settings;
  }

  public PricingProvider pricing() {
    return pricing;
  }

  /**
   * The region's zones: the {@code zones} setting, else discovered once from {@code regions.get}.
   */
  public List<String> zones() {
    List<String> z = zones;
    if (z == null) {
      Region region =
          retrier.call(
              "regions.get", () -> clients.regions().get(settings.project(), settings.region()));
      z =
          region.getZonesList().stream()
              .map(url -> url.substring(url.lastIndexOf('/') + 1))
              .sorted()
              .toList();
      if (z.isEmpty()) {
        throw new IllegalStateException("region " + settings.region() + " reports no zones");
      }
      zones = z;
    }
    return z;
  }

  // ------------------------------------------------------------------ instance types

  @Override
  public List<InstanceType> instanceTypes(Object nodeClass) {
    GCENodeClass nc = nodeClass instanceof GCENodeClass g ? g : null;
    List<InstanceType> out = new ArrayList<>();
    for (MachineTypeInfo mt : machineTypes.machineTypes()) {
      mapper.map(mt, nc).ifPresent(out::add);
    }
    return out;
  }

  // ------------------------------------------------------------------ launch

  @Override
  public Instance create(NodeClaimView claim) {
    if (!(claim.nodeClass() instanceof GCENodeClass nodeClass)) {
      throw new NodeClassNotReadyException(
          "NodeClaim " + claim.name() + " has no resolved GCENodeClass");
    }
    Optional<com.google.cloud.compute.v1.Instance> existing = findByClaim(claim.name());
    if (existing.isPresent()) {
      return toInstance(existing.get(), nodeClass);
    }
    Map<String, ImageResolver.ResolvedImage> resolved = images.resolve(nodeClass);
    if (resolved.isEmpty()) {
      throw new NodeClassNotReadyException(
          "GCENodeClass "
              + nodeClass.getMetadata().getName()
              + ": no image matches imageSelectorTerms");
    }
    List<Candidate> candidates = candidates(claim, nodeClass, resolved);
    if (candidates.isEmpty()) {
      throw new CreateException(
          "NoCompatibleInstanceTypes",
          "no machine type of "
              + claim.instanceTypeOptions()
              + " has an available offering"
              + " compatible with NodeClaim "
              + claim.name()
              + " and an image for its architecture");
    }
    List<OfferingKey> exhausted = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (Candidate c : candidates.subList(0, Math.min(MAX_LAUNCH_ATTEMPTS, candidates.size()))) {
      OfferingKey key = c.offering().key(c.type().name());
      if (unavailable.isUnavailable(key)) {
        exhausted.add(key);
        continue;
      }
      boolean spot = WellKnownLabels.CAPACITY_TYPE_SPOT.equals(c.offering().capacityType());
      com.google.cloud.compute.v1.Instance body =
          requests.build(
              claim,
              nodeClass,
              c.type(),
              c.offering().zone(),
              spot,
              resolved.get(c.type().arch()).sourceImage());
      try {
        return toInstance(instances.launch(c.offering().zone(), body), nodeClass);
      } catch (InstanceProvider.LaunchFailure f) {
        if (f.kind() == GceErrors.Kind.OTHER) {
          throw new CreateException("LaunchFailed", f.getMessage(), f);
        }
        unavailable.markUnavailable(key);
        exhausted.add(key);
        reasons.add(key + ": " + f.kind());
      }
    }
    throw new InsufficientCapacityException(
        "no capacity for NodeClaim " + claim.name() + ": " + reasons, exhausted);
  }

  /** One machine type on one offering, with its price. */
  record Candidate(MachineTypeInfo type, Offering offering) {}

  private List<Candidate> candidates(
      NodeClaimView claim,
      GCENodeClass nodeClass,
      Map<String, ImageResolver.ResolvedImage> resolved) {
    Map<String, MachineTypeInfo> byName =
        machineTypes.machineTypes().stream()
            .collect(Collectors.toMap(MachineTypeInfo::name, Function.identity()));
    List<String> options = claim.instanceTypeOptions();
    List<String> names = options.isEmpty() ? new ArrayList<>(byName.keySet()) : options;
    Requirements reqs = claim.requirements();
    List<Candidate> out = new ArrayList<>();
    for (String name : names) {
      MachineTypeInfo mt = byName.get(name);
      if (mt == null || !resolved.containsKey(mt.arch())) {
        continue;
      }
      Optional<InstanceType> it = mapper.map(mt, nodeClass);
      if (it.isEmpty() || !compatible(it.get().requirements(), reqs)) {
        continue;
      }
      for (Offering o : it.get().offerings()) {
        if (o.available() && o.compatibleWith(reqs)) {
          out.add(new Candidate(mt, o));
        }
      }
    }
    out.sort(Comparator.comparingDouble(c -> c.offering().price()));
    return out;
  }

  private static boolean compatible(Requirements typeReqs, Requirements claimReqs) {
    for (Requirement r : claimReqs.all()) {
      Requirement mine = typeReqs.get(r.key());
      if (mine != null && !mine.intersects(r)) {
        return false;
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ get / list / delete

  private Optional<com.google.cloud.compute.v1.Instance> findByClaim(String claimName) {
    String label = GceNames.labelValue(claimName);
    return instances.list().stream()
        .filter(i -> label.equals(i.getLabelsMap().get(InstanceRequests.LABEL_NODECLAIM)))
        .filter(i -> claimName.equals(nodeClaimOf(i)))
        .filter(i -> !"STOPPING".equals(i.getStatus()) && !"TERMINATED".equals(i.getStatus()))
        .findFirst();
  }

  @Override
  public Instance get(String providerId) {
    ProviderId id = ProviderId.parse(providerId);
    return instances
        .get(id.zone(), id.name())
        .map(i -> toInstance(i, null))
        .orElseThrow(() -> new NodeClaimNotFoundException("instance " + providerId + " not found"));
  }

  @Override
  public List<Instance> list() {
    return instances.list().stream().map(i -> toInstance(i, null)).toList();
  }

  @Override
  public void delete(String providerId) {
    ProviderId id = ProviderId.parse(providerId);
    instances.delete(id.zone(), id.name());
  }

  // ------------------------------------------------------------------ drift and status

  @Override
  public Optional<String> isDrifted(NodeClaimView claim) {
    if (claim.providerId() == null || !(claim.nodeClass() instanceof GCENodeClass nc)) {
      return Optional.empty();
    }
    ProviderId id = ProviderId.parse(claim.providerId());
    Optional<com.google.cloud.compute.v1.Instance> found = instances.get(id.zone(), id.name());
    if (found.isEmpty()) {
      return Optional.empty(); // gone: garbage collection handles it, not drift
    }
    com.google.cloud.compute.v1.Instance i = found.get();
    Map<String, ImageResolver.ResolvedImage> resolved = images.resolve(nc);
    String image =
        claim.imageId() != null
            ? claim.imageId()
            : InstanceRequests.metadata(i, InstanceRequests.META_IMAGE);
    if (!resolved.isEmpty()
        && image != null
        && resolved.values().stream().noneMatch(r -> r.sourceImage().equals(image))) {
      return Optional.of("ImageDrift");
    }
    String launched = i.getLabelsMap().get(InstanceRequests.LABEL_NODECLASS_HASH);
    if (launched != null && !launched.equals(NodeClassHash.of(nc))) {
      return Optional.of("NodeClassDrift");
    }
    return Optional.empty();
  }

  /** The status of a GCENodeClass; empty for any other kind (the provider reads no other). */
  @Override
  public Optional<NodeClassStatus> nodeClassStatus(Object nodeClass) {
    return nodeClass instanceof GCENodeClass nc
        ? Optional.of(statuses.status(nc))
        : Optional.empty();
  }

  // ------------------------------------------------------------------ mapping

  static String nodeClaimOf(com.google.cloud.compute.v1.Instance i) {
    String exact = InstanceRequests.metadata(i, InstanceRequests.META_NODECLAIM);
    return exact != null ? exact : i.getLabelsMap().get(InstanceRequests.LABEL_NODECLAIM);
  }

  Instance toInstance(com.google.cloud.compute.v1.Instance i, GCENodeClass nodeClass) {
    String zone = lastSegment(i.getZone());
    String type = lastSegment(i.getMachineType());
    String capacityType = InstanceRequests.capacityType(i);
    Map<String, String> labels = new java.util.TreeMap<>();
    dev.dovetail.cloudprovider.Resources capacity = null;
    dev.dovetail.cloudprovider.Resources allocatable = null;
    Optional<MachineTypeInfo> mt =
        machineTypes.machineTypes().stream().filter(m -> m.name().equals(type)).findFirst();
    if (mt.isPresent()) {
      Optional<InstanceType> it = mapper.map(mt.get(), nodeClass);
      if (it.isPresent()) {
        labels.putAll(it.get().requirements().singleValueLabels());
        capacity = it.get().capacity();
        allocatable = it.get().allocatable();
      }
    }
    labels.put(WellKnownLabels.INSTANCE_TYPE, type);
    labels.put(WellKnownLabels.ZONE, zone);
    labels.put(WellKnownLabels.REGION, settings.region());
    labels.put(WellKnownLabels.CAPACITY_TYPE, capacityType);
    String nodePool = InstanceRequests.metadata(i, InstanceRequests.META_NODEPOOL);
    if (nodePool != null) {
      labels.put(WellKnownLabels.NODE_POOL, nodePool);
    }
    java.time.Instant launched = null;
    if (!i.getCreationTimestamp().isEmpty()) {
      try {
        launched = java.time.OffsetDateTime.parse(i.getCreationTimestamp()).toInstant();
      } catch (java.time.format.DateTimeParseException ignored) {
        // leave unknown
      }
    }
    return new Instance(
        new ProviderId(settings.project(), zone, i.getName()).toString(),
        nodeClaimOf(i),
        nodePool,
        type,
        zone,
        capacityType,
        InstanceRequests.metadata(i, InstanceRequests.META_IMAGE),
        labels,
        capacity,
        allocatable,
        launched,
        state(i.getStatus()));
  }

  static String state(String gceStatus) {
    return switch (gceStatus) {
      case "PROVISIONING", "STAGING", "" -> "pending";
      case "RUNNING" -> "running";
      case "STOPPING", "SUSPENDING" -> "stopping";
      case "SUSPENDED", "STOPPED" -> "stopped";
      case "TERMINATED" -> "terminated";
      default -> gceStatus.toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String lastSegment(String s) {
    return s.substring(s.lastIndexOf('/') + 1);
  }
}
