// At 500 lines: launch template data as upstream builds it (block devices, metadata options,
// network interfaces incl. EFA, tags) next to its naming and clean-up; the user data and the
// resolution of the NodeClass already live in their own classes.
package dev.dovetail.aws.launch;

import dev.dovetail.aws.apis.v1.AmiFamily;
import dev.dovetail.aws.apis.v1.BlockDeviceMapping;
import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.aws.apis.v1.EC2NodeClassStatus;
import dev.dovetail.aws.apis.v1.MetadataOptions;
import dev.dovetail.aws.cache.TtlCache;
import dev.dovetail.aws.instancetype.AwsLabels;
import dev.dovetail.aws.nodeclass.EC2NodeClassValidation;
import dev.dovetail.aws.nodeclass.NodeClassHash;
import dev.dovetail.cloudprovider.Quantities;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplatesRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMappingRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateInstanceNetworkInterfaceSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateTagSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Launch templates, one per distinct launch configuration (AMI, user data, security groups,
 * volumes, metadata options, instance profile, capacity reservation, NodeClass hash), named {@code
 * karpenter.k8s.aws/<hash>} so any replica finds and reuses the same one. Templates of a NodeClass
 * that are no longer produced by it are deleted.
 */
public final class LaunchTemplateProvider {
  public static final String NAME_PREFIX = "karpenter.k8s.aws/";
  public static final String CLUSTER_TAG = "karpenter.k8s.aws/cluster";
  public static final String AMI_TAG = "karpenter.k8s.aws/ami-id";

  /** The AWS tag upstream's IAM policy conditions on for the cluster (eks:eks-cluster-name). */
  public static final String EKS_CLUSTER_NAME_TAG = "eks:eks-cluster-name";

  /**
   * One launch configuration.
   *
   * @param capacityType spot, on-demand or reserved: decides the reservation preference and whether
   *     spot requests are tagged
   * @param nodePool the NodePool the launch is for, tagged on the template (IAM conditions)
   * @param capacityReservationId the targeted reservation (reserved launches only), else null
   * @param capacityReservationType {@code default} or {@code capacity-block} (reserved only)
   * @param efaCount EFA interfaces to attach (the instance types' maximum when the NodeClaim
   *     requests {@code vpc.amazonaws.com/efa}, as upstream), 0 for none
   */
  public record Spec(
      EC2NodeClass nodeClass,
      String amiId,
      String userData,
      String capacityType,
      String nodePool,
      String capacityReservationId,
      String capacityReservationType,
      int efaCount) {

    /** A launch without EFA interfaces. */
    public Spec(
        EC2NodeClass nodeClass,
        String amiId,
        String userData,
        String capacityType,
        String nodePool,
        String capacityReservationId,
        String capacityReservationType) {
      this(
          nodeClass,
          amiId,
          userData,
          capacityType,
          nodePool,
          capacityReservationId,
          capacityReservationType,
          0);
    }

    /** A spot or on-demand launch (no reservation). */
    public Spec(
        EC2NodeClass nodeClass,
        String amiId,
        String userData,
        String capacityType,
        String nodePool) {
      this(nodeClass, amiId, userData, capacityType, nodePool, null, null);
    }

    boolean capacityBlock() {
      return CAPACITY_BLOCK.equals(capacityReservationType);
    }
  }

  /** EC2's market type and fleet target capacity type for a Capacity Block reservation. */
  public static final String CAPACITY_BLOCK = "capacity-block";

  private final Ec2Client ec2;
  private final String clusterName;
  private final TtlCache<String, String> known;

  public LaunchTemplateProvider(Ec2Client ec2, String clusterName, Clock clock) {
    this.ec2 = ec2;
    this.clusterName = clusterName;
    this.known = new TtlCache<>(clock, Duration.ofMinutes(5));
  }

  /**
   * The template's name for a spec (deterministic): a hash of everything the template holds. The
   * SDK's {@code toString} prints user data as {@code *** Sensitive Data Redacted ***}, so the user
   * data (labels, taints, kubelet flags of the NodePool) is hashed in on its own: two NodePools
   * sharing a NodeClass and AMI must not share a template.
   */
  public String name(Spec spec) {
    RequestLaunchTemplateData data = data(spec);
    String key =
        clusterName
            + "|"
            + spec.nodeClass().getMetadata().getName()
            + "|"
            + NodeClassHash.of(spec.nodeClass())
            + "|"
            + data.toString()
            + "|userData="
            + spec.userData()
            + "|tags="
            + tags(spec);
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return NAME_PREFIX + HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Forgets which templates exist, so the next {@link #ensure} checks EC2 again. */
  public void forgetAll() {
    known.clear();
  }

  /** Finds or creates the template; returns its name. */
  public String ensure(Spec spec) {
    String name = name(spec);
    if (known.get(name) != null) {
      return name;
    }
    List<LaunchTemplate> found = describe(name);
    if (found.isEmpty()) {
      try {
        ec2.createLaunchTemplate(
            r ->
                r.launchTemplateName(name)
                    .launchTemplateData(data(spec))
                    .tagSpecifications(
                        TagSpecification.builder()
                            .resourceType(ResourceType.LAUNCH_TEMPLATE)
                            .tags(tags(spec))
                            .build()));
      } catch (AwsServiceException e) {
        // Another replica (or an earlier attempt) created it first: reuse it.
        if (!"InvalidLaunchTemplateName.AlreadyExistsException".equals(errorCode(e))) {
          throw e;
        }
      }
    }
    known.put(name, name);
    return name;
  }

  private List<LaunchTemplate> describe(String name) {
    try {
      return ec2.describeLaunchTemplates(
              DescribeLaunchTemplatesRequest.builder().launchTemplateNames(name).build())
          .launchTemplates();
    } catch (AwsServiceException e) {
      if ("InvalidLaunchTemplateName.NotFoundException".equals(errorCode(e))) {
        return List.of();
      }
      throw e;
    }
  }

  /**
   * Deletes the NodeClass's templates made for another NodeClass hash or for an AMI no longer
   * resolved: after such a change nothing launches with them again. Returns the deleted names.
   */
  public List<String> cleanup(String nodeClassName, String currentHash, Set<String> liveAmis) {
    return delete(
        nodeClassName,
        lt ->
            !currentHash.equals(tagValue(lt, NodeClassHash.ANNOTATION))
                || !liveAmis.contains(tagValue(lt, AMI_TAG)));
  }

  /** Deletes every template this cluster made for the NodeClass (it is being deleted). */
  public List<String> deleteAll(String nodeClassName) {
    return delete(nodeClassName, lt -> true);
  }

  private List<String> delete(
      String nodeClassName, java.util.function.Predicate<LaunchTemplate> unwanted) {
    List<String> deleted = new ArrayList<>();
    ec2.describeLaunchTemplatesPaginator(
            DescribeLaunchTemplatesRequest.builder()
                .filters(
                    f -> f.name("tag:" + CLUSTER_TAG).values(clusterName),
                    f -> f.name("tag:" + AwsLabels.EC2NODECLASS).values(nodeClassName))
                .build())
        .launchTemplates()
        .forEach(
            lt -> {
              if (unwanted.test(lt)) {
                try {
                  ec2.deleteLaunchTemplate(r -> r.launchTemplateName(lt.launchTemplateName()));
                } catch (AwsServiceException e) {
                  // Gone already (another replica): the goal is reached.
                  if (!"InvalidLaunchTemplateName.NotFoundException".equals(errorCode(e))) {
                    throw e;
                  }
                }
                known.invalidate(lt.launchTemplateName());
                deleted.add(lt.launchTemplateName());
              }
            });
    return deleted;
  }

  private static String tagValue(LaunchTemplate lt, String key) {
    return lt.tags().stream()
        .filter(t -> key.equals(t.key()))
        .map(Tag::value)
        .findFirst()
        .orElse(null);
  }

  /**
   * The tags of the template itself: the launch tags plus what cleanup finds templates by
   * (NodeClass hash, AMI).
   */
  private List<Tag> tags(Spec spec) {
    Map<String, String> t = launchTags(spec);
    t.put(CLUSTER_TAG, clusterName);
    t.put(NodeClassHash.ANNOTATION, NodeClassHash.of(spec.nodeClass()));
    t.put(AMI_TAG, spec.amiId());
    return toTags(t);
  }

  /**
   * Upstream's launch tags: the NodeClass's tags, then the ones Karpenter's IAM policy conditions
   * on ({@code kubernetes.io/cluster/<name>=owned}, {@code eks:eks-cluster-name}, {@code
   * karpenter.sh/nodepool}, {@code karpenter.k8s.aws/ec2nodeclass}), which a user cannot override.
   */
  Map<String, String> launchTags(Spec spec) {
    EC2NodeClass nc = spec.nodeClass();
    Map<String, String> t = new LinkedHashMap<>();
    if (nc.getSpec().tags != null) {
      t.putAll(nc.getSpec().tags);
    }
    t.put("kubernetes.io/cluster/" + clusterName, "owned");
    t.put(EKS_CLUSTER_NAME_TAG, clusterName);
    if (spec.nodePool() != null) {
      t.put(WellKnownLabels.NODE_POOL, spec.nodePool());
    }
    t.put(AwsLabels.EC2NODECLASS, nc.getMetadata().getName());
    return t;
  }

  private static List<Tag> toTags(Map<String, String> t) {
    return t.entrySet().stream()
        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
        .toList();
  }

  RequestLaunchTemplateData data(Spec spec) {
    EC2NodeClass nc = spec.nodeClass();
    EC2NodeClassStatus status = nc.getStatus();
    AmiFamily family = EC2NodeClassValidation.effectiveFamily(nc.getSpec());
    List<String> groups = status.securityGroups.stream().map(g -> g.id).sorted().toList();
    MetadataOptions md = MetadataOptions.withDefaults(nc.getSpec().metadataOptions);
    RequestLaunchTemplateData.Builder b =
        RequestLaunchTemplateData.builder()
            .imageId(spec.amiId())
            .userData(spec.userData())
            .iamInstanceProfile(p -> p.name(status.instanceProfile))
            .blockDeviceMappings(blockDevices(nc.getSpec().blockDeviceMappings, family))
            .metadataOptions(
                m ->
                    m.httpEndpoint(md.httpEndpoint)
                        .httpProtocolIpv6(md.httpProtocolIPv6)
                        .httpPutResponseHopLimit(md.httpPutResponseHopLimit.intValue())
                        .httpTokens(md.httpTokens)
                        // Account defaults may turn instance tags on in IMDS; our tag keys
                        // (kubernetes.io/cluster/*) are not valid there, so pin it off as upstream.
                        .instanceMetadataTags("disabled"))
            .monitoring(m -> m.enabled(Boolean.TRUE.equals(nc.getSpec().detailedMonitoring)));
    List<LaunchTemplateInstanceNetworkInterfaceSpecificationRequest> interfaces =
        networkInterfaces(nc.getSpec(), groups, spec.efaCount());
    if (interfaces.isEmpty()) {
      b.securityGroupIds(groups);
    } else {
      // Interface-level settings move the security groups onto the interfaces (EC2 refuses both).
      b.networkInterfaces(interfaces);
    }
    var pg = nc.getSpec().placementGroupSelector;
    if (pg != null && (pg.name != null || pg.id != null)) {
      b.placement(p -> p.groupName(pg.name).groupId(pg.id));
    }
    // Interfaces (and spot requests) are tagged too, so the IAM policy's tag conditions and cost
    // allocation see them; the instance and volumes are tagged through CreateFleet.
    List<LaunchTemplateTagSpecificationRequest> dataTags = new ArrayList<>();
    List<Tag> launchTags = toTags(launchTags(spec));
    dataTags.add(
        LaunchTemplateTagSpecificationRequest.builder()
            .resourceType(ResourceType.NETWORK_INTERFACE)
            .tags(launchTags)
            .build());
    if (WellKnownLabels.CAPACITY_TYPE_SPOT.equals(spec.capacityType())) {
      dataTags.add(
          LaunchTemplateTagSpecificationRequest.builder()
              .resourceType(ResourceType.SPOT_INSTANCES_REQUEST)
              .tags(launchTags)
              .build());
    }
    b.tagSpecifications(dataTags);
    if (spec.capacityReservationId() != null) {
      b.capacityReservationSpecification(
          c ->
              c.capacityReservationPreference("capacity-reservations-only")
                  .capacityReservationTarget(
                      t -> t.capacityReservationId(spec.capacityReservationId())));
      if (spec.capacityBlock()) {
        b.instanceMarketOptions(m -> m.marketType(CAPACITY_BLOCK));
      }
    } else {
      // Spot and on-demand launches stay out of open reservations: otherwise they land in one and
      // are then seen (and priced, and labelled) as reserved.
      b.capacityReservationSpecification(c -> c.capacityReservationPreference("none"));
    }
    return b.build();
  }

  /**
   * The launch template's interfaces: the NodeClass's {@code networkInterfaces} (EFA-only ones as
   * {@code efa-only}); else, for a NodeClaim requesting EFA, {@code efaCount} interfaces of type
   * {@code efa}, one per network card (device index 0 on card 0, 1 on the others, so card 0 keeps
   * the primary interface), as upstream; else one primary interface when a public-IP choice, IPv4
   * prefixes or connection tracking need one; empty when none of these is set.
   */
  static List<LaunchTemplateInstanceNetworkInterfaceSpecificationRequest> networkInterfaces(
      dev.dovetail.aws.apis.v1.EC2NodeClassSpec spec, List<String> groups, int efaCount) {
    boolean declaredAny = spec.networkInterfaces != null && !spec.networkInterfaces.isEmpty();
    if (!declaredAny && efaCount > 0) {
      List<LaunchTemplateInstanceNetworkInterfaceSpecificationRequest> out = new ArrayList<>();
      for (int card = 0; card < efaCount; card++) {
        LaunchTemplateInstanceNetworkInterfaceSpecificationRequest.Builder nb =
            LaunchTemplateInstanceNetworkInterfaceSpecificationRequest.builder()
                .networkCardIndex(card)
                .deviceIndex(card == 0 ? 0 : 1)
                .interfaceType("efa")
                .groups(groups)
                .deleteOnTermination(true);
        if (spec.associatePublicIPAddress != null) {
          nb.associatePublicIpAddress(spec.associatePublicIPAddress);
        }
        if (spec.ipPrefixCount != null) {
          nb.ipv4PrefixCount(spec.ipPrefixCount);
        }
        if (spec.connectionTracking != null) {
          var ct = spec.connectionTracking;
          nb.connectionTrackingSpecification(
              c ->
                  c.tcpEstablishedTimeout(ct.tcpEstablishedTimeout)
                      .udpStreamTimeout(ct.udpStreamTimeout)
                      .udpTimeout(ct.udpTimeout));
        }
        out.add(nb.build());
      }
      return out;
    }
    boolean primaryNeeded =
        spec.associatePublicIPAddress != null
            || spec.ipPrefixCount != null
            || spec.connectionTracking != null;
    List<dev.dovetail.aws.apis.v1.EC2NodeClassSpec.NetworkInterface> declared =
        spec.networkInterfaces == null ? List.of() : spec.networkInterfaces;
    if (declared.isEmpty() && !primaryNeeded) {
      return List.of();
    }
    if (declared.isEmpty()) {
      var primary = new dev.dovetail.aws.apis.v1.EC2NodeClassSpec.NetworkInterface();
      primary.networkCardIndex = 0;
      primary.deviceIndex = 0;
      primary.interfaceType = "interface";
      declared = List.of(primary);
    }
    List<LaunchTemplateInstanceNetworkInterfaceSpecificationRequest> out = new ArrayList<>();
    for (var ni : declared) {
      boolean primary = ni.networkCardIndex == 0 && ni.deviceIndex == 0;
      boolean efaOnly = "efa-only".equals(ni.interfaceType);
      LaunchTemplateInstanceNetworkInterfaceSpecificationRequest.Builder nb =
          LaunchTemplateInstanceNetworkInterfaceSpecificationRequest.builder()
              .networkCardIndex(ni.networkCardIndex)
              .deviceIndex(ni.deviceIndex)
              .groups(groups)
              .deleteOnTermination(true);
      if (efaOnly) {
        nb.interfaceType("efa-only");
      }
      if (primary && spec.associatePublicIPAddress != null) {
        nb.associatePublicIpAddress(spec.associatePublicIPAddress);
      }
      if (primary && spec.ipPrefixCount != null) {
        nb.ipv4PrefixCount(spec.ipPrefixCount);
      }
      if (!efaOnly && spec.connectionTracking != null) {
        var ct = spec.connectionTracking;
        nb.connectionTrackingSpecification(
            c ->
                c.tcpEstablishedTimeout(ct.tcpEstablishedTimeout)
                    .udpStreamTimeout(ct.udpStreamTimeout)
                    .udpTimeout(ct.udpTimeout));
      }
      out.add(nb.build());
    }
    return out;
  }

  static List<LaunchTemplateBlockDeviceMappingRequest> blockDevices(
      List<BlockDeviceMapping> bdms, AmiFamily family) {
    List<BlockDeviceMapping> effective = bdms != null ? bdms : defaults(family);
    List<LaunchTemplateBlockDeviceMappingRequest> out = new ArrayList<>();
    for (BlockDeviceMapping m : effective) {
      LaunchTemplateBlockDeviceMappingRequest.Builder b =
          LaunchTemplateBlockDeviceMappingRequest.builder().deviceName(m.deviceName);
      if (m.ebs != null) {
        BlockDeviceMapping.BlockDevice e = m.ebs;
        b.ebs(
            x -> {
              x.deleteOnTermination(
                      e.deleteOnTermination == null ? Boolean.TRUE : e.deleteOnTermination)
                  .encrypted(e.encrypted)
                  .kmsKeyId(e.kmsKeyID)
                  .snapshotId(e.snapshotID)
                  .volumeType(e.volumeType);
              if (e.iops != null) {
                x.iops(e.iops.intValue());
              }
              if (e.throughput != null) {
                x.throughput(e.throughput.intValue());
              }
              if (e.volumeSize != null) {
                long bytes = Quantities.toCanonical(Resources.EPHEMERAL_STORAGE, e.volumeSize);
                x.volumeSize((int) Math.ceil(bytes / (double) (1L << 30)));
              }
              if (e.volumeInitializationRate != null) {
                x.volumeInitializationRate(e.volumeInitializationRate);
              }
            });
      }
      out.add(b.build());
    }
    return out;
  }

  /** Upstream's default volumes per family (Custom AMIs keep the AMI's own). */
  static List<BlockDeviceMapping> defaults(AmiFamily family) {
    return switch (family) {
      case Bottlerocket -> List.of(volume("/dev/xvda", "4Gi"), volume("/dev/xvdb", "20Gi"));
      case Windows2019, Windows2022, Windows2025 -> List.of(volume("/dev/sda1", "50Gi"));
      case Custom -> List.of();
      default -> List.of(volume("/dev/xvda", "20Gi"));
    };
  }

  private static BlockDeviceMapping volume(String device, String size) {
    BlockDeviceMapping m = new BlockDeviceMapping();
    m.deviceName = device;
    m.ebs = new BlockDeviceMapping.BlockDevice();
    m.ebs.encrypted = true;
    m.ebs.volumeSize = size;
    m.ebs.volumeType = "gp3";
    return m;
  }

  static String errorCode(AwsServiceException e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }
}
