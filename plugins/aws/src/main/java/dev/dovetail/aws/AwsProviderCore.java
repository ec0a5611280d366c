package dev.dovetail.aws;

import dev.dovetail.aws.apis.v1.AmiFamily;
import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.aws.apis.v1.EC2NodeClassStatus;
import dev.dovetail.aws.cluster.ClusterDiscovery;
import dev.dovetail.aws.cluster.ClusterInfo;
import dev.dovetail.aws.instancetype.AwsLabels;
import dev.dovetail.aws.instancetype.InstanceTypeMapper;
import dev.dovetail.aws.instancetype.InstanceTypeProvider;
import dev.dovetail.aws.instancetype.UnavailableOfferings;
import dev.dovetail.aws.launch.FleetClientTokens;
import dev.dovetail.aws.launch.FleetErrors;
import dev.dovetail.aws.launch.InstanceProvider;
import dev.dovetail.aws.launch.LaunchTemplateProvider;
import dev.dovetail.aws.launch.UserData;
import dev.dovetail.aws.nodeclass.AmiProvider;
import dev.dovetail.aws.nodeclass.CapacityReservationProvider;
import dev.dovetail.aws.nodeclass.EC2NodeClassValidation;
import dev.dovetail.aws.nodeclass.InstanceProfileProvider;
import dev.dovetail.aws.nodeclass.KubeletSettings;
import dev.dovetail.aws.nodeclass.NodeClassHash;
import dev.dovetail.aws.nodeclass.NodeClassResolver;
import dev.dovetail.aws.nodeclass.NodeClassStatusView;
import dev.dovetail.aws.nodeclass.SecurityGroupProvider;
import dev.dovetail.aws.nodeclass.SubnetProvider;
import dev.dovetail.aws.pricing.PricingProvider;
import dev.dovetail.cloudprovider.CreateException;
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
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;

/**
 * The provider's logic, wired from its parts: resolve the NodeClass, pick capacity type, instance
 * types, AMIs and subnets for a NodeClaim, launch through CreateFleet, and map EC2 instances back
 * to SPI instances.
 */
public final class AwsProviderCore {
  /** Upstream's cap on the instance types sent to one CreateFleet. */
  public static final int MAX_INSTANCE_TYPES = 60;

  private static final Set<String> INSTANCE_TYPE_KEYS =
      Set.of(
          WellKnownLabels.INSTANCE_TYPE,
          WellKnownLabels.ARCH,
          WellKnownLabels.OS,
          WellKnownLabels.ZONE,
          WellKnownLabels.REGION,
          WellKnownLabels.CAPACITY_TYPE,
          WellKnownLabels.WINDOWS_BUILD,
          WellKnownLabels.CAPACITY_RESERVATION_ID,
          AwsLabels.ZONE_ID);

  private final AwsSettings settings;
  private final Clock clock;
  private final PricingProvider pricing;
  private final UnavailableOfferings unavailable;
  private final InstanceTypeProvider instanceTypes;
  private final ClusterDiscovery cluster;
  private final InstanceProfileProvider instanceProfiles;
  private final NodeClassResolver resolver;
  private final LaunchTemplateProvider launchTemplates;
  private final InstanceProvider instances;
  private final FleetClientTokens clientTokens;
  private final Map<String, Instant> lastCleanup = new ConcurrentHashMap<>();

  public AwsProviderCore(AwsSettings settings, AwsClients clients, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.pricing =
        new PricingProvider(
            clients.pricing(), clients.ec2(), settings.region(), settings.isolatedVpc(), clock);
    this.unavailable = new UnavailableOfferings(clock);
    this.instanceTypes =
        new InstanceTypeProvider(
            clients.ec2(),
            pricing,
            unavailable,
            settings.region(),
            settings.vmMemoryOverheadPercent(),
            settings.reservedEnis(),
            clock);
    this.cluster = new ClusterDiscovery(settings, clients.eks(), clock);
    this.instanceProfiles =
        new InstanceProfileProvider(clients.iam(), settings.clusterName(), settings.region());
    this.resolver =
        new NodeClassResolver(
            new SubnetProvider(clients.ec2()),
            new SecurityGroupProvider(clients.ec2()),
            new AmiProvider(
                clients.ec2(), clients.ssm(), () -> cluster.current().kubernetesVersion(), clock),
            new CapacityReservationProvider(clients.ec2()),
            instanceProfiles,
            cluster,
            settings.clusterName(),
            clock);
    this.launchTemplates = new LaunchTemplateProvider(clients.ec2(), settings.clusterName(), clock);
    this.instances = new InstanceProvider(clients.ec2(), settings.clusterName(), unavailable);
    this.clientTokens = new FleetClientTokens(clock);
  }

  public PricingProvider pricing() {
    return pricing;
  }

  public UnavailableOfferings unavailableOfferings() {
    return unavailable;
  }

  /** The cluster's endpoint, CA bundle, version and service CIDR (settings over discovery). */
  public ClusterDiscovery cluster() {
    return cluster;
  }

  public NodeClassResolver resolver() {
    return resolver;
  }

  public InstanceTypeProvider instanceTypeProvider() {
    return instanceTypes;
  }

  public LaunchTemplateProvider launchTemplates() {
    return launchTemplates;
  }

  public InstanceProvider instances() {
    return instances;
  }

  // ---------------------------------------------------------------- instance types

  public List<InstanceType> instanceTypes(Object nodeClass) {
    EC2NodeClass nc = asNodeClass(nodeClass);
    EC2NodeClassStatus status = resolver.resolve(nc);
    if (!status.ready()) {
      return List.of();
    }
    return instanceTypes.list(nc);
  }

  private static EC2NodeClass asNodeClass(Object nodeClass) {
    if (nodeClass instanceof EC2NodeClass nc) {
      return nc;
    }
    throw new NodeClassNotReadyException(
        "expected an EC2NodeClass, got "
            + (nodeClass == null ? "none" : nodeClass.getClass().getName()));
  }

  // ---------------------------------------------------------------- NodeClass status

  /** The resolved status (subnets, security groups, AMIs, profile, reservations, conditions). */
  public NodeClassStatus nodeClassStatus(Object nodeClass) {
    return NodeClassStatusView.of(resolver.resolve(asNodeClass(nodeClass)));
  }

  /**
   * Deletes the NodeClass's launch templates and the instance profile made for it. Called by the
   * core's finalizer once no NodeClaim uses the NodeClass; an AWS error propagates so the core
   * retries.
   */
  public void finalizeNodeClass(Object nodeClass) {
    EC2NodeClass nc = asNodeClass(nodeClass);
    launchTemplates.deleteAll(nc.getMetadata().getName());
    instanceProfiles.delete(nc);
    lastCleanup.remove(nc.getMetadata().getName());
    resolver.invalidate();
  }

  // ---------------------------------------------------------------- create

  public Instance create(NodeClaimView claim) {
    EC2NodeClass nc = asNodeClass(claim.nodeClass());
    // Idempotent by claim name: an instance tagged for this claim is the answer (also covers a
    // controller that crashed after CreateFleet succeeded but before it recorded the result).
    List<software.amazon.awssdk.services.ec2.model.Instance> existing =
        instances.list(Optional.of(claim.name()));
    if (!existing.isEmpty()) {
      return toInstance(
          existing.get(0), instanceTypeOf(nc, existing.get(0).instanceTypeAsString()));
    }
    EC2NodeClassStatus status = resolver.resolve(nc);
    if (!status.ready()) {
      Condition ready = status.condition(EC2NodeClassStatus.READY);
      throw new NodeClassNotReadyException(
          "EC2NodeClass "
              + nc.getMetadata().getName()
              + " is not ready: "
              + (ready == null ? "not resolved" : ready.getMessage()));
    }
    List<InstanceType> candidates = compatibleTypes(claim, instanceTypes.list(nc));
    if (candidates.isEmpty()) {
      throw new InsufficientCapacityException(
          "no instance type of the NodeClaim's options has an available offering", List.of());
    }
    String capacityType = capacityType(claim, candidates);
    while (true) {
      try {
        return launch(claim, nc, status, candidates, capacityType);
      } catch (InsufficientCapacityException e) {
        if (WellKnownLabels.CAPACITY_TYPE_RESERVED.equals(capacityType)) {
          // The reservation is full: stop offering it (per reservation) for the ICE TTL.
          for (OfferingKey k : e.offerings()) {
            for (String rid : reservationIds(candidates, k)) {
              unavailable.markUnavailable(
                  new OfferingKey(
                      k.instanceType(),
                      k.zone(),
                      WellKnownLabels.CAPACITY_TYPE_RESERVED + "/" + rid));
            }
          }
        }
        // Reserved or spot ran dry for every option: fall through to the next capacity type
        // the claim allows (reserved -> spot -> on-demand) at once, as upstream's fallback does.
        List<InstanceType> refreshed = compatibleTypes(claim, instanceTypes.list(nc));
        String next = nextCapacityType(claim, refreshed, capacityType);
        if (next == null) {
          throw e;
        }
        capacityType = next;
        candidates = refreshed;
      }
    }
  }

  private static final List<String> CAPACITY_TYPE_ORDER =
      List.of(
          WellKnownLabels.CAPACITY_TYPE_RESERVED,
          WellKnownLabels.CAPACITY_TYPE_SPOT,
          WellKnownLabels.CAPACITY_TYPE_ON_DEMAND);

  /** The next capacity type after {@code current} that the claim allows and is offered. */
  static String nextCapacityType(NodeClaimView claim, List<InstanceType> types, String current) {
    for (int i = CAPACITY_TYPE_ORDER.indexOf(current) + 1; i < CAPACITY_TYPE_ORDER.size(); i++) {
      String ct = CAPACITY_TYPE_ORDER.get(i);
      if (allows(claim, ct) && hasOffering(claim, types, ct)) {
        return ct;
      }
    }
    return null;
  }

  private static List<String> reservationIds(List<InstanceType> types, OfferingKey key) {
    List<String> out = new ArrayList<>();
    for (InstanceType t : types) {
      if (t.name().equals(key.instanceType())) {
        for (Offering o : t.offerings()) {
          if (o.reservationId() != null && o.zone().equals(key.zone())) {
            out.add(o.reservationId());
          }
        }
      }
    }
    return out;
  }

  private Instance launch(
      NodeClaimView claim,
      EC2NodeClass nc,
      EC2NodeClassStatus status,
      List<InstanceType> candidates,
      String capacityType) {
    List<Choice> choices = choices(claim, candidates, capacityType);
    if (choices.isEmpty()) {
      throw new InsufficientCapacityException(
          "no " + capacityType + " offering available for the NodeClaim", List.of());
    }
    AmiFamily family = EC2NodeClassValidation.effectiveFamily(nc.getSpec());
    Map<String, String> subnetByZone = new LinkedHashMap<>();
    for (EC2NodeClassStatus.Subnet s : status.subnets) {
      subnetByZone.putIfAbsent(s.zone, s.id);
    }
    String reservationId = null;
    String reservationType = null;
    if (WellKnownLabels.CAPACITY_TYPE_RESERVED.equals(capacityType)) {
      // One reservation per launch: the template targets it.
      Choice first = choices.get(0);
      reservationId = first.offering().reservationId();
      String rid = reservationId;
      choices = choices.stream().filter(c -> rid.equals(c.offering().reservationId())).toList();
      reservationType = reservationType(status, rid);
    }
    // Group options by the AMI that boots them; one launch template per AMI.
    Map<String, List<Choice>> byAmi = new LinkedHashMap<>();
    for (Choice c : choices) {
      Optional<String> ami = amiFor(status, c.type());
      ami.ifPresent(id -> byAmi.computeIfAbsent(id, k -> new ArrayList<>()).add(c));
    }
    if (byAmi.isEmpty()) {
      throw new CreateException(
          "NoCompatibleAMI", "no resolved AMI is compatible with the NodeClaim's instance types");
    }
    Map<String, String> labels = new LinkedHashMap<>(claim.labels());
    labels.put(WellKnownLabels.NODE_POOL, claim.nodePool());
    labels.put(WellKnownLabels.CAPACITY_TYPE, capacityType);
    List<Taint> taints = new ArrayList<>(claim.taints());
    taints.addAll(claim.startupTaints());
    taints.add(new Taint("karpenter.sh/unregistered", "", "NoExecute"));
    ClusterInfo clusterInfo = cluster.current();
    UserData.Options options =
        new UserData.Options(
            settings.clusterName(),
            clusterInfo.endpoint(),
            clusterInfo.caBundle(),
            clusterInfo.serviceCidr(),
            labels,
            taints,
            KubeletSettings.from(nc.getSpec().kubelet),
            nc.getSpec().instanceStorePolicy != null,
            nc.getSpec().userData);
    String userData = UserData.build(family, options);
    String rid = reservationId;
    String rtype = reservationType;
    String ct = capacityType;
    java.util.function.Supplier<List<InstanceProvider.TemplateConfig>> configs =
        () -> {
          List<InstanceProvider.TemplateConfig> out = new ArrayList<>();
          for (Map.Entry<String, List<Choice>> e : byAmi.entrySet()) {
            String lt =
                launchTemplates.ensure(
                    new LaunchTemplateProvider.Spec(
                        nc, e.getKey(), userData, ct, claim.nodePool(), rid, rtype));
            List<InstanceProvider.Override> overrides = new ArrayList<>();
            for (Choice c : e.getValue()) {
              String subnet = subnetByZone.get(c.offering().zone());
              if (subnet != null) {
                overrides.add(
                    new InstanceProvider.Override(
                        c.type().name(), subnet, c.offering().zone(), null));
              }
            }
            out.add(new InstanceProvider.TemplateConfig(lt, e.getKey(), overrides));
          }
          return out;
        };
    Map<String, String> tags =
        instances.ownershipTags(
            claim.nodePool(), claim.name(), nc.getMetadata().getName(), nc.getSpec().tags);
    tags.put(NodeClassHash.ANNOTATION, NodeClassHash.of(nc));
    InstanceProvider.Launched launched = null;
    for (int attempt = 0; launched == null; attempt++) {
      List<InstanceProvider.TemplateConfig> templateConfigs = configs.get();
      if (attempt == 0) {
        cleanupLaunchTemplates(nc, status);
      }
      try {
        launched =
            instances.createFleet(
                clientTokens.next(claim.name(), capacityType),
                capacityType,
                reservationType,
                templateConfigs,
                tags);
      } catch (AwsServiceException e) {
        clientTokens.failed(claim.name(), capacityType);
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        if (FleetErrors.isServiceLinkedRoleCreationNotPermitted(code)) {
          unavailable.markCapacityTypeUnavailable(WellKnownLabels.CAPACITY_TYPE_SPOT);
          throw new InsufficientCapacityException(e.getMessage(), List.of());
        }
        if (FleetErrors.isUnfulfillable(code)) {
          throw new InsufficientCapacityException(e.getMessage(), List.of());
        }
        if (FleetErrors.isLaunchTemplateNotFound(code) && attempt == 0) {
          // Deleted underneath our cache (another replica's cleanup, a person): make it again.
          launchTemplates.forgetAll();
          continue;
        }
        throw new CreateException(code == null ? "LaunchFailed" : code, e.getMessage(), e);
      } catch (InsufficientCapacityException e) {
        clientTokens.failed(claim.name(), capacityType);
        throw e;
      } catch (CreateException e) {
        clientTokens.failed(claim.name(), capacityType);
        if (InstanceProvider.LAUNCH_TEMPLATE_NOT_FOUND.equals(e.reason()) && attempt == 0) {
          launchTemplates.forgetAll();
          continue;
        }
        throw e;
      }
    }
    InstanceProvider.Launched result = launched;
    InstanceType type =
        choices.stream()
            .map(Choice::type)
            .filter(t -> t.name().equals(result.instanceType()))
            .findFirst()
            .orElse(null);
    String zone = launched.zone();
    Map<String, String> nodeLabels = new LinkedHashMap<>();
    if (type != null) {
      nodeLabels.putAll(typeLabels(type));
    }
    status.subnets.stream()
        .filter(sn -> sn.zone.equals(result.zone()) && sn.zoneID != null)
        .findFirst()
        .ifPresent(sn -> nodeLabels.put(AwsLabels.ZONE_ID, sn.zoneID));
    nodeLabels.put(WellKnownLabels.INSTANCE_TYPE, launched.instanceType());
    if (zone != null) {
      nodeLabels.put(WellKnownLabels.ZONE, zone);
    }
    nodeLabels.put(WellKnownLabels.REGION, settings.region());
    nodeLabels.put(WellKnownLabels.CAPACITY_TYPE, launched.capacityType());
    nodeLabels.put(WellKnownLabels.NODE_POOL, claim.nodePool());
    nodeLabels.put(AwsLabels.EC2NODECLASS, nc.getMetadata().getName());
    if (reservationId != null) {
      nodeLabels.put(WellKnownLabels.CAPACITY_RESERVATION_ID, reservationId);
    }
    return new Instance(
        providerId(zone, launched.instanceId()),
        claim.name(),
        claim.nodePool(),
        launched.instanceType(),
        zone,
        launched.capacityType(),
        launched.amiId(),
        nodeLabels,
        type == null ? Resources.EMPTY : type.capacity(),
        type == null ? null : type.allocatable(),
        clock.instant(),
        "pending");
  }

  private void cleanupLaunchTemplates(EC2NodeClass nc, EC2NodeClassStatus status) {
    String name = nc.getMetadata().getName();
    Instant last = lastCleanup.get(name);
    if (last != null && last.plus(Duration.ofMinutes(5)).isAfter(clock.instant())) {
      return;
    }
    lastCleanup.put(name, clock.instant());
    Set<String> amis = new HashSet<>();
    status.amis.forEach(a -> amis.add(a.id));
    try {
      launchTemplates.cleanup(name, NodeClassHash.of(nc), amis);
    } catch (AwsServiceException e) {
      // Best effort: a leftover template costs nothing and is retried next time.
    }
  }

  /** {@code capacity-block} or {@code default}, from the NodeClass's resolved reservations. */
  private static String reservationType(EC2NodeClassStatus status, String reservationId) {
    if (status.capacityReservations == null) {
      return "default";
    }
    return status.capacityReservations.stream()
        .filter(cr -> reservationId.equals(cr.id))
        .map(cr -> cr.reservationType)
        .findFirst()
        .orElse("default");
  }

  /** One instance type with the offering it would be bought through. */
  record Choice(InstanceType type, Offering offering) {}

  /** The claim's instance types that fit its requirements, keeping the core's order. */
  List<InstanceType> compatibleTypes(NodeClaimView claim, List<InstanceType> all) {
    Requirements reqs = claim.requirements();
    Set<String> allowUndefined = new HashSet<>();
    for (String k : reqs.keys()) {
      if (!INSTANCE_TYPE_KEYS.contains(k) && !k.startsWith(AwsLabels.PREFIX + "instance-")) {
        allowUndefined.add(k);
      }
    }
    List<String> options = claim.instanceTypeOptions();
    Map<String, InstanceType> byName = new LinkedHashMap<>();
    for (InstanceType t : all) {
      byName.put(t.name(), t);
    }
    List<InstanceType> ordered = new ArrayList<>();
    if (!options.isEmpty()) {
      for (String o : options) {
        InstanceType t = byName.get(o);
        if (t != null) {
          ordered.add(t);
        }
      }
    } else {
      ordered.addAll(all);
    }
    List<InstanceType> out = new ArrayList<>();
    for (InstanceType t : ordered) {
      if (!t.requirements()
          .isCompatible(
              reqs.without(WellKnownLabels.CAPACITY_TYPE).without(WellKnownLabels.ZONE),
              allowUndefined)) {
        continue;
      }
      if (!Resources.EMPTY.equals(claim.requests()) && !claim.requests().fitsIn(t.allocatable())) {
        continue;
      }
      if (t.offerings().stream().anyMatch(o -> o.available() && o.compatibleWith(reqs))) {
        out.add(t);
      }
    }
    return out;
  }

  private static boolean allows(NodeClaimView claim, String capacityType) {
    Requirement r = claim.requirements().get(WellKnownLabels.CAPACITY_TYPE);
    return r == null || r.has(capacityType);
  }

  private static boolean hasOffering(
      NodeClaimView claim, List<InstanceType> types, String capacityType) {
    for (InstanceType t : types) {
      for (Offering o : t.offerings()) {
        if (o.available()
            && capacityType.equals(o.capacityType())
            && o.compatibleWith(claim.requirements())) {
          return true;
        }
      }
    }
    return false;
  }

  /** Reserved if any reserved offering fits, else spot if allowed and offered, else on-demand. */
  static String capacityType(NodeClaimView claim, List<InstanceType> types) {
    for (String ct :
        List.of(
            WellKnownLabels.CAPACITY_TYPE_RESERVED,
            WellKnownLabels.CAPACITY_TYPE_SPOT,
            WellKnownLabels.CAPACITY_TYPE_ON_DEMAND)) {
      if (allows(claim, ct) && hasOffering(claim, types, ct)) {
        return ct;
      }
    }
    return WellKnownLabels.CAPACITY_TYPE_ON_DEMAND;
  }

  /** Instance type × zone options for the capacity type, cheapest first, at most 60 types. */
  static List<Choice> choices(NodeClaimView claim, List<InstanceType> types, String capacityType) {
    List<Choice> all = new ArrayList<>();
    for (InstanceType t : types) {
      for (Offering o : t.offerings()) {
        if (o.available()
            && capacityType.equals(o.capacityType())
            && o.compatibleWith(claim.requirements())) {
          all.add(new Choice(t, o));
        }
      }
    }
    all.sort(
        Comparator.comparingDouble((Choice c) -> c.offering().price())
            .thenComparing(c -> c.type().name()));
    Set<String> keptTypes = new java.util.LinkedHashSet<>();
    List<Choice> out = new ArrayList<>();
    for (Choice c : all) {
      if (keptTypes.contains(c.type().name()) || keptTypes.size() < MAX_INSTANCE_TYPES) {
        keptTypes.add(c.type().name());
        out.add(c);
      }
    }
    return out;
  }

  /** The newest resolved AMI whose requirements the instance type meets. */
  static Optional<String> amiFor(EC2NodeClassStatus status, InstanceType type) {
    for (EC2NodeClassStatus.Ami ami : status.amis) {
      if (type.requirements().isCompatible(AmiProvider.requirementsOf(ami), Set.of())) {
        return Optional.of(ami.id);
      }
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- get / list / delete

  public Instance get(String providerId) {
    return toInstance(instances.get(instanceId(providerId)), null);
  }

  public List<Instance> list() {
    return instances.list(Optional.empty()).stream().map(i -> toInstance(i, null)).toList();
  }

  public void delete(String providerId) {
    String id = instanceId(providerId);
    software.amazon.awssdk.services.ec2.model.Instance i = instances.get(id);
    if ("shutting-down".equals(i.state().nameAsString())) {
      return; // already going; the next call reports NotFound once it is terminated
    }
    instances.terminate(id);
  }

  /** {@code aws:///us-east-1a/i-0123} → {@code i-0123}. */
  public static String instanceId(String providerId) {
    if (providerId == null || !providerId.startsWith("aws://")) {
      throw new NodeClaimNotFoundException("not an AWS providerID: " + providerId);
    }
    String id = providerId.substring(providerId.lastIndexOf('/') + 1);
    if (!id.startsWith("i-")) {
      throw new NodeClaimNotFoundException("not an AWS providerID: " + providerId);
    }
    return id;
  }

  public static String providerId(String zone, String instanceId) {
    return "aws:///" + (zone == null ? "" : zone) + "/" + instanceId;
  }

  private InstanceType instanceTypeOf(EC2NodeClass nc, String name) {
    try {
      EC2NodeClassStatus status = resolver.resolve(nc);
      if (!status.ready()) {
        return null;
      }
      return instanceTypes.list(nc).stream()
          .filter(t -> t.name().equals(name))
          .findFirst()
          .orElse(null);
    } catch (RuntimeException e) {
      return null;
    }
  }

  Instance toInstance(software.amazon.awssdk.services.ec2.model.Instance i, InstanceType type) {
    String zone = i.placement() == null ? null : i.placement().availabilityZone();
    String capacityType =
        i.capacityReservationId() != null
            ? WellKnownLabels.CAPACITY_TYPE_RESERVED
            : "spot".equals(i.instanceLifecycleAsString())
                ? WellKnownLabels.CAPACITY_TYPE_SPOT
                : WellKnownLabels.CAPACITY_TYPE_ON_DEMAND;
    Map<String, String> labels = new LinkedHashMap<>();
    if (type != null) {
      labels.putAll(typeLabels(type));
    }
    labels.put(WellKnownLabels.INSTANCE_TYPE, i.instanceTypeAsString());
    if (zone != null) {
      labels.put(WellKnownLabels.ZONE, zone);
    }
    labels.put(WellKnownLabels.REGION, settings.region());
    labels.put(WellKnownLabels.ARCH, "arm64".equals(i.architectureAsString()) ? "arm64" : "amd64");
    labels.put(WellKnownLabels.CAPACITY_TYPE, capacityType);
    if (i.capacityReservationId() != null) {
      labels.put(WellKnownLabels.CAPACITY_RESERVATION_ID, i.capacityReservationId());
    }
    String nodePool = InstanceProvider.tag(i, InstanceProvider.NODEPOOL_TAG);
    if (nodePool != null) {
      labels.put(WellKnownLabels.NODE_POOL, nodePool);
    }
    String nodeClass = InstanceProvider.tag(i, InstanceProvider.NODECLASS_TAG);
    if (nodeClass != null) {
      labels.put(AwsLabels.EC2NODECLASS, nodeClass);
    }
    Resources capacity = type != null ? type.capacity() : basicCapacity(i.instanceTypeAsString());
    return new Instance(
        providerId(zone, i.instanceId()),
        InstanceProvider.tag(i, InstanceProvider.NODECLAIM_TAG),
        nodePool,
        i.instanceTypeAsString(),
        zone,
        capacityType,
        i.imageId(),
        labels,
        capacity,
        type == null ? null : type.allocatable(),
        i.launchTime(),
        i.state() == null ? null : i.state().nameAsString());
  }

  /**
   * The instance type's own labels, without those that belong to one offering (zone, zone id,
   * capacity type, reservation): a type with one reservation would otherwise label every node of
   * that type with it, reserved or not.
   */
  private static Map<String, String> typeLabels(InstanceType type) {
    Map<String, String> labels = new LinkedHashMap<>(type.requirements().singleValueLabels());
    labels.remove(WellKnownLabels.CAPACITY_RESERVATION_ID);
    labels.remove(WellKnownLabels.CAPACITY_TYPE);
    labels.remove(WellKnownLabels.ZONE);
    labels.remove(AwsLabels.ZONE_ID);
    return labels;
  }

  /** Capacity of a type outside any NodeClass context (AL2023 defaults). */
  private Resources basicCapacity(String instanceType) {
    try {
      InstanceTypeInfo info = instanceTypes.infosByName().get(instanceType);
      if (info == null) {
        return Resources.EMPTY;
      }
      EC2NodeClass blank = new EC2NodeClass();
      InstanceTypeMapper.Context ctx =
          new InstanceTypeMapper.Context(
              settings.region(),
              AmiFamily.AL2023,
              blank.getSpec(),
              KubeletSettings.from(null),
              Map.of(),
              List.of(),
              pricing,
              unavailable,
              settings.vmMemoryOverheadPercent(),
              settings.reservedEnis());
      return InstanceTypeMapper.map(info, Set.of(), ctx).capacity();
    } catch (RuntimeException e) {
      return Resources.EMPTY;
    }
  }

  // ---------------------------------------------------------------- drift

  public Optional<String> isDrifted(NodeClaimView claim) {
    if (claim.providerId() == null || !(claim.nodeClass() instanceof EC2NodeClass nc)) {
      return Optional.empty();
    }
    software.amazon.awssdk.services.ec2.model.Instance i =
        instances.get(instanceId(claim.providerId()));
    EC2NodeClassStatus status = resolver.resolve(nc);
    if (status.amis != null && !status.amis.isEmpty()) {
      String image = claim.imageId() != null ? claim.imageId() : i.imageId();
      if (status.amis.stream().noneMatch(a -> a.id.equals(image))) {
        return Optional.of("AMIDrift");
      }
    }
    if (status.subnets != null
        && !status.subnets.isEmpty()
        && i.subnetId() != null
        && status.subnets.stream().noneMatch(s -> s.id.equals(i.subnetId()))) {
      return Optional.of("SubnetDrift");
    }
    if (status.securityGroups != null && !status.securityGroups.isEmpty()) {
      Set<String> want = new HashSet<>();
      status.securityGroups.forEach(g -> want.add(g.id));
      Set<String> have = new HashSet<>();
      i.securityGroups().stream().map(GroupIdentifier::groupId).forEach(have::add);
      if (!want.equals(have)) {
        return Optional.of("SecurityGroupDrift");
      }
    }
    String launchedHash = claim.annotations().get(NodeClassHash.ANNOTATION);
    if (launchedHash == null) {
      launchedHash = InstanceProvider.tag(i, NodeClassHash.ANNOTATION);
    }
    if (launchedHash != null && !launchedHash.equals(NodeClassHash.of(nc))) {
      return Optional.of("NodeClassDrift");
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- interruption

  /** The providerID of this cluster's instance, or empty when it is not ours (or unknown). */
  public Optional<String> providerIdOfInstance(String instanceId) {
    return instances
        .find(instanceId)
        .filter(i -> "owned".equals(InstanceProvider.tag(i, instances.clusterTag())))
        .map(i -> providerId(i.placement().availabilityZone(), instanceId));
  }

  /** A spot warning means EC2 is short of that spot capacity: stop offering it for a while. */
  public void onSpotInterruption(String instanceId, String providerId) {
    try {
      software.amazon.awssdk.services.ec2.model.Instance i = instances.get(instanceId);
      unavailable.markUnavailable(
          new OfferingKey(
              i.instanceTypeAsString(),
              i.placement().availabilityZone(),
              WellKnownLabels.CAPACITY_TYPE_SPOT));
    } catch (NodeClaimNotFoundException e) {
      // gone already: nothing to learn
    }
  }
}
