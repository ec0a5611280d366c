package dev.dovetail.aws.launch;

import static dev.dovetail.aws.launch.CapacityChoices.amiFor;
import static dev.dovetail.aws.launch.CapacityChoices.capacityType;
import static dev.dovetail.aws.launch.CapacityChoices.choices;
import static dev.dovetail.aws.launch.CapacityChoices.compatibleTypes;
import static dev.dovetail.aws.launch.CapacityChoices.nextCapacityType;
import static dev.dovetail.aws.launch.CapacityChoices.reservationIds;
import static dev.dovetail.aws.launch.CapacityChoices.reservationType;

import dev.dovetail.aws.apis.v1.AmiFamily;
import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.aws.apis.v1.EC2NodeClassStatus;
import dev.dovetail.aws.cluster.ClusterDiscovery;
import dev.dovetail.aws.cluster.ClusterInfo;
import dev.dovetail.aws.instancetype.AwsLabels;
import dev.dovetail.aws.instancetype.InstanceTypeLabels;
import dev.dovetail.aws.instancetype.InstanceTypeProvider;
import dev.dovetail.aws.launch.CapacityChoices.Choice;
import dev.dovetail.aws.nodeclass.EC2NodeClassValidation;
import dev.dovetail.aws.nodeclass.KubeletSettings;
import dev.dovetail.aws.nodeclass.NodeClassHash;
import dev.dovetail.aws.nodeclass.NodeClassResolver;
import dev.dovetail.cloudprovider.CreateException;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassNotReadyException;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.UnavailableOfferings;
import dev.dovetail.cloudprovider.WellKnownLabels;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Launches one NodeClaim (upstream's {@code providers/instance} create path): the NodeClass must be
 * Ready; user data is built from the claim's labels and taints and the cluster's endpoint; one
 * launch template per AMI; CreateFleet with a token per attempt; a shortage falls back to the next
 * capacity type; a template deleted underneath is made again once.
 */
public final class NodeClaimLauncher {
  private final String clusterName;
  private final String region;
  private final Clock clock;
  private final UnavailableOfferings unavailable;
  private final InstanceTypeProvider instanceTypes;
  private final ClusterDiscovery cluster;
  private final NodeClassResolver resolver;
  private final LaunchTemplateProvider launchTemplates;
  private final InstanceProvider instances;
  private final FleetClientTokens clientTokens;
  private final Map<String, Instant> lastCleanup = new ConcurrentHashMap<>();

  public NodeClaimLauncher(
      String clusterName,
      String region,
      Clock clock,
      UnavailableOfferings unavailable,
      InstanceTypeProvider instanceTypes,
      ClusterDiscovery cluster,
      NodeClassResolver resolver,
      LaunchTemplateProvider launchTemplates,
      InstanceProvider instances) {
    this.clusterName = clusterName;
    this.region = region;
    this.clock = clock;
    this.unavailable = unavailable;
    this.instanceTypes = instanceTypes;
    this.cluster = cluster;
    this.resolver = resolver;
    this.launchTemplates = launchTemplates;
    this.instances = instances;
    this.clientTokens = new FleetClientTokens(clock);
  }

  /** Forgets when the NodeClass's templates were last cleaned up (it is being deleted). */
  public void forget(String nodeClassName) {
    lastCleanup.remove(nodeClassName);
  }

  /**
   * Launches an instance for the claim from its resolved NodeClass: the first capacity type with an
   * offering, then (on a shortage of every option) the next one the claim allows.
   */
  public Instance launch(NodeClaimView claim, EC2NodeClass nc) {
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

  /** What sets launch templates of one launch apart: the AMI and the EFA interface count. */
  private record TemplateKey(String amiId, int efaCount) {}

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
    // Group options by the AMI that boots them and, for an EFA request, by the number of EFA
    // interfaces the type takes (as upstream): one launch template per group.
    boolean wantsEfa = claim.requests().get(AwsLabels.EFA) > 0;
    Map<TemplateKey, List<Choice>> byAmi = new LinkedHashMap<>();
    for (Choice c : choices) {
      Optional<String> ami = amiFor(status, c.type());
      int efa = wantsEfa ? (int) c.type().capacity().get(AwsLabels.EFA) : 0;
      ami.ifPresent(
          id -> byAmi.computeIfAbsent(new TemplateKey(id, efa), k -> new ArrayList<>()).add(c));
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
            clusterName,
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
          for (Map.Entry<TemplateKey, List<Choice>> e : byAmi.entrySet()) {
            String lt =
                launchTemplates.ensure(
                    new LaunchTemplateSpec(
                        nc,
                        e.getKey().amiId(),
                        userData,
                        ct,
                        claim.nodePool(),
                        rid,
                        rtype,
                        e.getKey().efaCount()));
            List<InstanceProvider.Override> overrides = new ArrayList<>();
            for (Choice c : e.getValue()) {
              String subnet = subnetByZone.get(c.offering().zone());
              if (subnet != null) {
                overrides.add(
                    new InstanceProvider.Override(
                        c.type().name(), subnet, c.offering().zone(), null));
              }
            }
            out.add(new InstanceProvider.TemplateConfig(lt, e.getKey().amiId(), overrides));
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
        String code = Ec2Errors.code(e);
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
      nodeLabels.putAll(InstanceTypeLabels.withoutOfferingLabels(type));
    }
    status.subnets.stream()
        .filter(sn -> sn.zone.equals(result.zone()) && sn.zoneID != null)
        .findFirst()
        .ifPresent(sn -> nodeLabels.put(AwsLabels.ZONE_ID, sn.zoneID));
    nodeLabels.put(WellKnownLabels.INSTANCE_TYPE, launched.instanceType());
    if (zone != null) {
      nodeLabels.put(WellKnownLabels.ZONE, zone);
    }
    nodeLabels.put(WellKnownLabels.REGION, region);
    nodeLabels.put(WellKnownLabels.CAPACITY_TYPE, launched.capacityType());
    nodeLabels.put(WellKnownLabels.NODE_POOL, claim.nodePool());
    nodeLabels.put(AwsLabels.EC2NODECLASS, nc.getMetadata().getName());
    if (reservationId != null) {
      nodeLabels.put(WellKnownLabels.CAPACITY_RESERVATION_ID, reservationId);
    }
    return new Instance(
        ProviderIds.of(zone, launched.instanceId()),
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
}
