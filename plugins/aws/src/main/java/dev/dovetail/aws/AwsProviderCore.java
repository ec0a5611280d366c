package dev.dovetail.aws;

import dev.dovetail.aws.apis.v1.AmiFamily;
import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.aws.apis.v1.EC2NodeClassStatus;
import dev.dovetail.aws.cluster.ClusterDiscovery;
import dev.dovetail.aws.cluster.ClusterInfo;
import dev.dovetail.aws.drift.DriftChecker;
import dev.dovetail.aws.instancetype.AwsLabels;
import dev.dovetail.aws.instancetype.InstanceTypeLabels;
import dev.dovetail.aws.instancetype.InstanceTypeMapper;
import dev.dovetail.aws.instancetype.InstanceTypeProvider;
import dev.dovetail.aws.launch.InstanceProvider;
import dev.dovetail.aws.launch.LaunchTemplateProvider;
import dev.dovetail.aws.launch.NodeClaimLauncher;
import dev.dovetail.aws.launch.ProviderIds;
import dev.dovetail.aws.nodeclass.AmiProvider;
import dev.dovetail.aws.nodeclass.CapacityReservationProvider;
import dev.dovetail.aws.nodeclass.InstanceProfileProvider;
import dev.dovetail.aws.nodeclass.KubeletSettings;
import dev.dovetail.aws.nodeclass.NodeClassResolver;
import dev.dovetail.aws.nodeclass.NodeClassStatusView;
import dev.dovetail.aws.nodeclass.SecurityGroupProvider;
import dev.dovetail.aws.nodeclass.SubnetProvider;
import dev.dovetail.aws.pricing.PricingProvider;
import dev.dovetail.cloudprovider.DelegatingCloudProvider;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassNotReadyException;
import dev.dovetail.cloudprovider.NodeClassStatus;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.UnavailableOfferings;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;

/**
 * The provider wired from its parts (upstream's {@code cloudprovider} package): instance types of a
 * NodeClass, create through {@link NodeClaimLauncher}, get/list/delete of EC2 instances mapped back
 * to SPI instances, drift through {@link DriftChecker}, the NodeClass status and finalizer hooks,
 * and the lookups the interruption poller needs.
 */
public final class AwsProviderCore implements DelegatingCloudProvider.Core {

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
  private final NodeClaimLauncher launcher;
  private final DriftChecker drift;

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
    this.cluster =
        new ClusterDiscovery(
            settings.clusterName(),
            new ClusterInfo(
                settings.clusterEndpoint(),
                settings.clusterCABundle(),
                settings.kubernetesVersion(),
                settings.clusterCidr(),
                ""),
            clients.eks(),
            clock);
    this.instanceProfiles =
        new InstanceProfileProvider(
            clients.iam(), clients.ec2(), settings.clusterName(), settings.region(), clock);
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
    this.launcher =
        new NodeClaimLauncher(
            settings.clusterName(),
            settings.region(),
            clock,
            unavailable,
            instanceTypes,
            cluster,
            resolver,
            launchTemplates,
            instances);
    this.drift = new DriftChecker(instances, resolver);
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

  @Override
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
  @Override
  public Optional<NodeClassStatus> nodeClassStatus(Object nodeClass) {
    return Optional.of(NodeClassStatusView.of(resolver.resolve(asNodeClass(nodeClass))));
  }

  /**
   * Deletes the NodeClass's launch templates and the instance profile made for it. Called by the
   * core's finalizer once no NodeClaim uses the NodeClass; an AWS error propagates so the core
   * retries.
   */
  @Override
  public void finalizeNodeClass(Object nodeClass) {
    EC2NodeClass nc = asNodeClass(nodeClass);
    launchTemplates.deleteAll(nc.getMetadata().getName());
    instanceProfiles.delete(nc);
    launcher.forget(nc.getMetadata().getName());
    resolver.invalidate();
  }

  // ---------------------------------------------------------------- create

  @Override
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
    return launcher.launch(claim, nc);
  }

  // ---------------------------------------------------------------- get / list / delete

  @Override
  public Instance get(String providerId) {
    return toInstance(instances.get(ProviderIds.instanceId(providerId)), null);
  }

  @Override
  public List<Instance> list() {
    return instances.list(Optional.empty()).stream().map(i -> toInstance(i, null)).toList();
  }

  @Override
  public void delete(String providerId) {
    String id = ProviderIds.instanceId(providerId);
    software.amazon.awssdk.services.ec2.model.Instance i = instances.get(id);
    if ("shutting-down".equals(i.state().nameAsString())) {
      return; // already going; the next call reports NotFound once it is terminated
    }
    instances.terminate(id);
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
      labels.putAll(InstanceTypeLabels.withoutOfferingLabels(type));
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
        ProviderIds.of(zone, i.instanceId()),
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

  @Override
  public Optional<String> isDrifted(NodeClaimView claim) {
    return drift.isDrifted(claim);
  }

  // ---------------------------------------------------------------- interruption

  /** The providerID of this cluster's instance, or empty when it is not ours (or unknown). */
  public Optional<String> providerIdOfInstance(String instanceId) {
    return instances
        .find(instanceId)
        .filter(i -> "owned".equals(InstanceProvider.tag(i, instances.clusterTag())))
        .map(i -> ProviderIds.of(i.placement().availabilityZone(), instanceId));
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
