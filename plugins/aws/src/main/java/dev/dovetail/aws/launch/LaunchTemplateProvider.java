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

  /** One launch configuration. */
  public record Spec(
      EC2NodeClass nodeClass, String amiId, String userData, String capacityReservationId) {}

  private final Ec2Client ec2;
  private final String clusterName;
  private final TtlCache<String, String> known;

  public LaunchTemplateProvider(Ec2Client ec2, String clusterName, Clock clock) {
    this.ec2 = ec2;
    this.clusterName = clusterName;
    this.known = new TtlCache<>(clock, Duration.ofMinutes(5));
  }

  /** The template's name for a spec (deterministic). */
  public String name(Spec spec) {
    RequestLaunchTemplateData data = data(spec);
    String key =
        clusterName
            + "|"
            + spec.nodeClass().getMetadata().getName()
            + "|"
            + NodeClassHash.of(spec.nodeClass())
            + "|"
            + data.toString();
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
                            .tags(tags(spec.nodeClass(), spec.amiId()))
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
              String hash = tagValue(lt, NodeClassHash.ANNOTATION);
              String ami = tagValue(lt, AMI_TAG);
              if (!currentHash.equals(hash) || !liveAmis.contains(ami)) {
                ec2.deleteLaunchTemplate(r -> r.launchTemplateName(lt.launchTemplateName()));
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

  private List<Tag> tags(EC2NodeClass nc, String amiId) {
    Map<String, String> t = new LinkedHashMap<>();
    if (nc.getSpec().tags != null) {
      t.putAll(nc.getSpec().tags);
    }
    t.put(CLUSTER_TAG, clusterName);
    t.put("kubernetes.io/cluster/" + clusterName, "owned");
    t.put(AwsLabels.EC2NODECLASS, nc.getMetadata().getName());
    t.put(NodeClassHash.ANNOTATION, NodeClassHash.of(nc));
    t.put(AMI_TAG, amiId);
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
                        .httpTokens(md.httpTokens))
            .monitoring(m -> m.enabled(Boolean.TRUE.equals(nc.getSpec().detailedMonitoring)));
    List<LaunchTemplateInstanceNetworkInterfaceSpecificationRequest> interfaces =
        networkInterfaces(nc.getSpec(), groups);
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
    if (spec.capacityReservationId() != null) {
      b.capacityReservationSpecification(
          c ->
              c.capacityReservationTarget(
                  t -> t.capacityReservationId(spec.capacityReservationId())));
    }
    return b.build();
  }

  /**
   * The launch template's interfaces: the NodeClass's {@code networkInterfaces} (EFA-only ones as
   * {@code efa-only}), else one primary interface when a public-IP choice, IPv4 prefixes or
   * connection tracking need one; empty when none of these is set.
   */
  static List<LaunchTemplateInstanceNetworkInterfaceSpecificationRequest> networkInterfaces(
      dev.dovetail.aws.apis.v1.EC2NodeClassSpec spec, List<String> groups) {
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
