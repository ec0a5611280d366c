package dev.dovetail.aws.launch;

import dev.dovetail.aws.instancetype.AwsLabels;
import dev.dovetail.cloudprovider.CreateException;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.UnavailableOfferings;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateFleetError;
import software.amazon.awssdk.services.ec2.model.CreateFleetInstance;
import software.amazon.awssdk.services.ec2.model.CreateFleetRequest;
import software.amazon.awssdk.services.ec2.model.CreateFleetResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateConfigRequest;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateOverridesRequest;
import software.amazon.awssdk.services.ec2.model.FleetType;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * EC2 instances: launched with CreateFleet (type {@code instant}, one instance, every acceptable
 * instance type × zone as overrides, price-capacity-optimized for spot, lowest-price for
 * on-demand), found with DescribeInstances by id or ownership tag, ended with TerminateInstances.
 * Fleet errors of the capacity kind mark those offerings unavailable.
 */
public final class InstanceProvider {
  public static final String NODEPOOL_TAG = WellKnownLabels.NODE_POOL;
  public static final String NODECLAIM_TAG = "karpenter.sh/nodeclaim";
  public static final String NODECLASS_TAG = AwsLabels.EC2NODECLASS;

  /** CreateException reason when the fleet could not find a launch template. */
  public static final String LAUNCH_TEMPLATE_NOT_FOUND = "LaunchTemplateNotFound";

  /** One launch template with the instance types and subnets it may use. */
  public record TemplateConfig(String launchTemplateName, String amiId, List<Override> overrides) {}

  /** One instance type in one subnet (zone). */
  public record Override(String instanceType, String subnetId, String zone, Double priority) {}

  /** What CreateFleet launched. */
  public record Launched(
      String instanceId, String instanceType, String zone, String capacityType, String amiId) {}

  private final Ec2Client ec2;
  private final String clusterName;
  private final UnavailableOfferings unavailable;

  public InstanceProvider(Ec2Client ec2, String clusterName, UnavailableOfferings unavailable) {
    this.ec2 = ec2;
    this.clusterName = clusterName;
    this.unavailable = unavailable;
  }

  public String clusterTag() {
    return "kubernetes.io/cluster/" + clusterName;
  }

  /** The tags every launched instance carries (ownership, for GC and idempotency). */
  public Map<String, String> ownershipTags(
      String nodePool, String nodeClaim, String nodeClass, Map<String, String> userTags) {
    Map<String, String> t = new LinkedHashMap<>();
    if (userTags != null) {
      t.putAll(userTags);
    }
    t.put(clusterTag(), "owned");
    t.put("eks:eks-cluster-name", clusterName);
    t.put(NODEPOOL_TAG, nodePool);
    t.put(NODECLAIM_TAG, nodeClaim);
    t.put(NODECLASS_TAG, nodeClass);
    return t;
  }

  /**
   * Launches one instance. Returns it even when some overrides failed (those are marked
   * unavailable); throws {@link InsufficientCapacityException} when every failure was a capacity
   * error, {@link CreateException} otherwise.
   */
  public Launched createFleet(
      String clientToken,
      String capacityType,
      String capacityReservationType,
      List<TemplateConfig> configs,
      Map<String, String> tags) {
    boolean capacityBlock = LaunchTemplateSpec.CAPACITY_BLOCK.equals(capacityReservationType);
    boolean spot = WellKnownLabels.CAPACITY_TYPE_SPOT.equals(capacityType);
    List<FleetLaunchTemplateConfigRequest> ltConfigs = new ArrayList<>();
    Map<String, String> zoneBySubnet = new LinkedHashMap<>();
    Map<String, String> amiByTemplate = new LinkedHashMap<>();
    Map<String, String> amiByType = new LinkedHashMap<>();
    for (TemplateConfig c : configs) {
      amiByTemplate.put(c.launchTemplateName(), c.amiId());
      c.overrides().forEach(o -> amiByType.putIfAbsent(o.instanceType(), c.amiId()));
      List<FleetLaunchTemplateOverridesRequest> overrides = new ArrayList<>();
      for (Override o : c.overrides()) {
        zoneBySubnet.put(o.subnetId(), o.zone());
        FleetLaunchTemplateOverridesRequest.Builder ob =
            FleetLaunchTemplateOverridesRequest.builder()
                .instanceType(o.instanceType())
                .subnetId(o.subnetId())
                .availabilityZone(o.zone());
        if (o.priority() != null) {
          ob.priority(o.priority());
        }
        overrides.add(ob.build());
      }
      ltConfigs.add(
          FleetLaunchTemplateConfigRequest.builder()
              .launchTemplateSpecification(
                  s -> s.launchTemplateName(c.launchTemplateName()).version("$Latest"))
              .overrides(overrides)
              .build());
    }
    List<Tag> tagList =
        tags.entrySet().stream()
            .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
            .toList();
    CreateFleetRequest.Builder req =
        CreateFleetRequest.builder()
            .type(FleetType.INSTANT)
            .clientToken(clientToken)
            .launchTemplateConfigs(ltConfigs)
            .targetCapacitySpecification(
                t ->
                    t.totalTargetCapacity(1)
                        .defaultTargetCapacityType(
                            spot
                                ? "spot"
                                : capacityBlock ? LaunchTemplateSpec.CAPACITY_BLOCK : "on-demand"))
            .tagSpecifications(
                TagSpecification.builder()
                    .resourceType(ResourceType.INSTANCE)
                    .tags(tagList)
                    .build(),
                TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(tagList).build(),
                TagSpecification.builder().resourceType(ResourceType.FLEET).tags(tagList).build());
    if (spot) {
      req.spotOptions(s -> s.allocationStrategy("price-capacity-optimized"));
    } else if (!capacityBlock) {
      // EC2 refuses on-demand options for a Capacity Block fleet.
      req.onDemandOptions(
          o -> o.allocationStrategy(hasPriorities(configs) ? "prioritized" : "lowest-price"));
    }
    CreateFleetResponse resp = ec2.createFleet(req.build());
    String markedType =
        WellKnownLabels.CAPACITY_TYPE_RESERVED.equals(capacityType) ? null : capacityType;
    List<OfferingKey> iced = new ArrayList<>();
    List<String> other = new ArrayList<>();
    boolean ltMissing = false;
    boolean spotRoleMissing = false;
    for (CreateFleetError e : resp.errors()) {
      String code = e.errorCode();
      if (FleetErrors.isServiceLinkedRoleCreationNotPermitted(code)) {
        // No spot anywhere until the role exists: the caller falls back to on-demand.
        unavailable.markCapacityTypeUnavailable(WellKnownLabels.CAPACITY_TYPE_SPOT);
        spotRoleMissing = true;
      } else if (FleetErrors.isUnfulfillable(code)) {
        if (FleetErrors.SPOT_QUOTA.equals(code) && spot) {
          unavailable.markCapacityTypeUnavailable(WellKnownLabels.CAPACITY_TYPE_SPOT);
        }
        var ov =
            e.launchTemplateAndOverrides() == null
                ? null
                : e.launchTemplateAndOverrides().overrides();
        if (ov != null && ov.instanceTypeAsString() != null) {
          String zone =
              ov.availabilityZone() != null
                  ? ov.availabilityZone()
                  : zoneBySubnet.get(ov.subnetId());
          if (zone != null && markedType != null) {
            OfferingKey key = new OfferingKey(ov.instanceTypeAsString(), zone, markedType);
            unavailable.markUnavailable(key);
            iced.add(key);
          } else if (zone != null) {
            iced.add(new OfferingKey(ov.instanceTypeAsString(), zone, capacityType));
          }
        }
      } else {
        if (FleetErrors.isLaunchTemplateNotFound(code)) {
          ltMissing = true;
        }
        other.add(code + ": " + e.errorMessage());
      }
    }
    for (CreateFleetInstance i : resp.instances()) {
      if (i.instanceIds() != null && !i.instanceIds().isEmpty()) {
        var ov =
            i.launchTemplateAndOverrides() == null
                ? null
                : i.launchTemplateAndOverrides().overrides();
        String zone =
            ov == null
                ? null
                : ov.availabilityZone() != null
                    ? ov.availabilityZone()
                    : zoneBySubnet.get(ov.subnetId());
        String lt =
            i.launchTemplateAndOverrides() == null
                    || i.launchTemplateAndOverrides().launchTemplateSpecification() == null
                ? null
                : i.launchTemplateAndOverrides().launchTemplateSpecification().launchTemplateName();
        // EC2 may echo the template by id rather than name; the instance type identifies the
        // template too, since each type sits in exactly one.
        String ami = lt == null ? null : amiByTemplate.get(lt);
        if (ami == null) {
          ami = amiByType.get(i.instanceTypeAsString());
        }
        String launchedType =
            WellKnownLabels.CAPACITY_TYPE_RESERVED.equals(capacityType)
                ? capacityType
                : "spot".equals(i.lifecycleAsString()) ? "spot" : "on-demand";
        return new Launched(
            i.instanceIds().get(0), i.instanceTypeAsString(), zone, launchedType, ami);
      }
    }
    if ((!iced.isEmpty() || spotRoleMissing) && other.isEmpty()) {
      throw new InsufficientCapacityException(
          "no " + capacityType + " capacity for " + iced.size() + " offerings: " + iced, iced);
    }
    throw new CreateException(
        ltMissing ? LAUNCH_TEMPLATE_NOT_FOUND : "LaunchFailed",
        "CreateFleet launched nothing: "
            + (other.isEmpty() ? "no instances and no errors returned" : String.join("; ", other)));
  }

  private static boolean hasPriorities(List<TemplateConfig> configs) {
    return configs.stream()
        .flatMap(c -> c.overrides().stream())
        .anyMatch(o -> o.priority() != null);
  }

  /** The live instance, or {@link NodeClaimNotFoundException} when absent or terminated. */
  public Instance get(String instanceId) {
    return find(instanceId)
        .filter(i -> !"terminated".equals(i.state().nameAsString()))
        .orElseThrow(() -> new NodeClaimNotFoundException("instance " + instanceId + " not found"));
  }

  /** The instance in any state (EC2 keeps terminated ones visible for a while), if known. */
  public Optional<Instance> find(String instanceId) {
    try {
      for (var r :
          ec2.describeInstances(DescribeInstancesRequest.builder().instanceIds(instanceId).build())
              .reservations()) {
        for (Instance i : r.instances()) {
          if (instanceId.equals(i.instanceId())) {
            return Optional.of(i);
          }
        }
      }
    } catch (AwsServiceException e) {
      if (!"InvalidInstanceID.NotFound".equals(Ec2Errors.code(e))) {
        throw e;
      }
    }
    return Optional.empty();
  }

  /** This cluster's live instances launched by a NodePool, optionally for one NodeClaim. */
  public List<Instance> list(Optional<String> nodeClaim) {
    List<Filter> filters = new ArrayList<>();
    filters.add(Filter.builder().name("tag:" + clusterTag()).values("owned").build());
    filters.add(Filter.builder().name("tag-key").values(NODEPOOL_TAG).build());
    filters.add(
        Filter.builder()
            .name("instance-state-name")
            .values("pending", "running", "stopping", "stopped", "shutting-down")
            .build());
    nodeClaim.ifPresent(
        n -> filters.add(Filter.builder().name("tag:" + NODECLAIM_TAG).values(n).build()));
    List<Instance> out = new ArrayList<>();
    ec2.describeInstancesPaginator(DescribeInstancesRequest.builder().filters(filters).build())
        .reservations()
        .forEach(r -> out.addAll(r.instances()));
    return out;
  }

  public void terminate(String instanceId) {
    try {
      ec2.terminateInstances(r -> r.instanceIds(instanceId));
    } catch (AwsServiceException e) {
      if ("InvalidInstanceID.NotFound".equals(Ec2Errors.code(e))) {
        throw new NodeClaimNotFoundException("instance " + instanceId + " not found");
      }
      throw e;
    }
  }

  public static String tag(Instance i, String key) {
    return i.tags().stream()
        .filter(t -> key.equals(t.key()))
        .map(Tag::value)
        .findFirst()
        .orElse(null);
  }
}
