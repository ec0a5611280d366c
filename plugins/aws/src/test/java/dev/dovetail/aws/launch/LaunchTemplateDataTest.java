package dev.dovetail.aws.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.aws.apis.v1.AmiFamily;
import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.aws.apis.v1.EC2NodeClassStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateTagSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

class LaunchTemplateDataTest {
  private final LaunchTemplateData data = new LaunchTemplateData("prod");

  @Test
  void holdsTheAmiUserDataProfileAndSortedGroupsAndStaysOutOfOpenReservations() {
    var d = data.of(new LaunchTemplateSpec(nodeClass(), "ami-1", "ud", "on-demand", "default"));

    assertThat(d.imageId()).isEqualTo("ami-1");
    assertThat(d.userData()).isEqualTo("ud");
    assertThat(d.iamInstanceProfile().name()).isEqualTo("profile-a");
    assertThat(d.securityGroupIds()).containsExactly("sg-a", "sg-b");
    assertThat(d.networkInterfaces()).isEmpty();
    assertThat(d.metadataOptions().instanceMetadataTagsAsString()).isEqualTo("disabled");
    assertThat(d.capacityReservationSpecification().capacityReservationPreferenceAsString())
        .isEqualTo("none");
    assertThat(d.instanceMarketOptions()).isNull();
  }

  @Test
  void aCapacityBlockLaunchTargetsItsReservationWithTheCapacityBlockMarket() {
    var d =
        data.of(
            new LaunchTemplateSpec(
                nodeClass(), "ami-1", "ud", "reserved", "default", "cr-1", "capacity-block"));

    var reservation = d.capacityReservationSpecification();
    assertThat(reservation.capacityReservationPreferenceAsString())
        .isEqualTo("capacity-reservations-only");
    assertThat(reservation.capacityReservationTarget().capacityReservationId()).isEqualTo("cr-1");
    assertThat(d.instanceMarketOptions().marketTypeAsString()).isEqualTo("capacity-block");
  }

  @Test
  void interfacesAreAlwaysTaggedAndSpotRequestsOnlyForSpot() {
    var onDemand = data.of(new LaunchTemplateSpec(nodeClass(), "ami-1", "ud", "on-demand", "p"));
    var spot = data.of(new LaunchTemplateSpec(nodeClass(), "ami-1", "ud", "spot", "p"));

    assertThat(onDemand.tagSpecifications())
        .extracting(LaunchTemplateTagSpecificationRequest::resourceType)
        .containsExactly(ResourceType.NETWORK_INTERFACE);
    assertThat(spot.tagSpecifications())
        .extracting(LaunchTemplateTagSpecificationRequest::resourceType)
        .containsExactly(ResourceType.NETWORK_INTERFACE, ResourceType.SPOT_INSTANCES_REQUEST);
  }

  @Test
  void theTagsKarpentersIamPolicyConditionsOnOverrideTheNodeClassTags() {
    EC2NodeClass nc = nodeClass();
    nc.getSpec().tags = Map.of("team", "a", "karpenter.sh/nodepool", "spoofed");

    Map<String, String> tags =
        data.launchTags(new LaunchTemplateSpec(nc, "ami-1", "ud", "spot", "default"));

    assertThat(tags)
        .containsEntry("team", "a")
        .containsEntry("karpenter.sh/nodepool", "default")
        .containsEntry("kubernetes.io/cluster/prod", "owned")
        .containsEntry("eks:eks-cluster-name", "prod")
        .containsEntry("karpenter.k8s.aws/ec2nodeclass", "nc-a");
    assertThat(LaunchTemplateData.toTags(tags)).extracting(Tag::key).contains("team");
  }

  private static EC2NodeClass nodeClass() {
    EC2NodeClass nc = new EC2NodeClass();
    nc.setMetadata(new ObjectMetaBuilder().withName("nc-a").build());
    nc.getSpec().amiFamily = AmiFamily.AL2023;
    EC2NodeClassStatus status = new EC2NodeClassStatus();
    status.securityGroups =
        List.of(
            new EC2NodeClassStatus.SecurityGroup("sg-b", "b"),
            new EC2NodeClassStatus.SecurityGroup("sg-a", "a"));
    status.instanceProfile = "profile-a";
    nc.setStatus(status);
    return nc;
  }
}
