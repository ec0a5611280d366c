package dev.dovetail.aws.launch;

import dev.dovetail.aws.apis.v1.AmiFamily;
import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.aws.apis.v1.EC2NodeClassStatus;
import dev.dovetail.aws.apis.v1.MetadataOptions;
import dev.dovetail.aws.instancetype.AwsLabels;
import dev.dovetail.aws.nodeclass.EC2NodeClassValidation;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateInstanceNetworkInterfaceSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateTagSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * What a launch template holds, as upstream builds it: AMI, user data, instance profile, volumes,
 * metadata options, network interfaces or security groups, placement group, the tags of the
 * resources it creates, and the capacity reservation preference. Pure: no EC2 call.
 */
final class LaunchTemplateData {
  /** The AWS tag upstream's IAM policy conditions on for the cluster (eks:eks-cluster-name). */
  static final String EKS_CLUSTER_NAME_TAG = "eks:eks-cluster-name";

  private final String clusterName;

  LaunchTemplateData(String clusterName) {
    this.clusterName = clusterName;
  }

  RequestLaunchTemplateData of(LaunchTemplateSpec spec) {
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
            .blockDeviceMappings(BlockDevices.of(nc.getSpec().blockDeviceMappings, family))
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
        NetworkInterfaces.of(nc.getSpec(), groups, spec.efaCount());
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
    b.tagSpecifications(resourceTags(spec));
    if (spec.capacityReservationId() != null) {
      b.capacityReservationSpecification(
          c ->
              c.capacityReservationPreference("capacity-reservations-only")
                  .capacityReservationTarget(
                      t -> t.capacityReservationId(spec.capacityReservationId())));
      if (spec.capacityBlock()) {
        b.instanceMarketOptions(m -> m.marketType(LaunchTemplateSpec.CAPACITY_BLOCK));
      }
    } else {
      // Spot and on-demand launches stay out of open reservations: otherwise they land in one and
      // are then seen (and priced, and labelled) as reserved.
      b.capacityReservationSpecification(c -> c.capacityReservationPreference("none"));
    }
    return b.build();
  }

  /**
   * Interfaces (and spot requests) are tagged too, so the IAM policy's tag conditions and cost
   * allocation see them; the instance and volumes are tagged through CreateFleet.
   */
  private List<LaunchTemplateTagSpecificationRequest> resourceTags(LaunchTemplateSpec spec) {
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
    return dataTags;
  }

  /**
   * Upstream's launch tags: the NodeClass's tags, then the ones Karpenter's IAM policy conditions
   * on ({@code kubernetes.io/cluster/<name>=owned}, {@code eks:eks-cluster-name}, {@code
   * karpenter.sh/nodepool}, {@code karpenter.k8s.aws/ec2nodeclass}), which a user cannot override.
   */
  Map<String, String> launchTags(LaunchTemplateSpec spec) {
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

  static List<Tag> toTags(Map<String, String> t) {
    return t.entrySet().stream()
        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
        .toList();
  }
}
