package dev.dovetail.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.aws.nodeclass.NodeClassHash;
import dev.dovetail.cloudprovider.NodeClaimView;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;

class DriftWireMockTest extends AwsWireMockTestBase {
  private static final String ID = "i-0d1e2f3a4b5c6d7e8";

  private NodeClaimView launched(EC2NodeClass nc, Map<String, String> annotations) {
    NodeClaimView c = claim("drift-1", nc);
    return new NodeClaimView(
        c.name(),
        c.nodePool(),
        c.labels(),
        annotations,
        c.taints(),
        c.startupTaints(),
        c.requirements(),
        c.requests(),
        c.nodeClassRef(),
        nc,
        "aws:///us-west-2a/" + ID,
        null);
  }

  private void running(Instance i) {
    stubEc2("DescribeInstances", describeInstances(i));
  }

  private Instance current(EC2NodeClass nc) {
    Instance i =
        ec2Instance(
            ID, "m5.large", "us-west-2a", AwsFixtures.AMI_X86, "drift-1", "running", "on-demand");
    java.util.List<Tag> tags = new java.util.ArrayList<>(i.tags());
    tags.add(Tag.builder().key(NodeClassHash.ANNOTATION).value(NodeClassHash.of(nc)).build());
    return i.toBuilder().tags(tags).build();
  }

  @Test
  void notDriftedWhileEverythingMatches() {
    EC2NodeClass nc = al2023NodeClass();
    running(current(nc));
    assertThat(provider.isDrifted(launched(nc, Map.of()))).isEmpty();
  }

  @Test
  void anAmiNoLongerResolvedIsAmiDrift() {
    EC2NodeClass nc = al2023NodeClass();
    running(current(nc).toBuilder().imageId("ami-0olderolderolder1").build());
    assertThat(provider.isDrifted(launched(nc, Map.of()))).contains("AMIDrift");
  }

  @Test
  void aSubnetNoLongerSelectedIsSubnetDrift() {
    EC2NodeClass nc = al2023NodeClass();
    running(current(nc).toBuilder().subnetId("subnet-0dd44444444444444").build());
    assertThat(provider.isDrifted(launched(nc, Map.of()))).contains("SubnetDrift");
  }

  @Test
  void changedSecurityGroupsAreSecurityGroupDrift() {
    EC2NodeClass nc = al2023NodeClass();
    running(current(nc).toBuilder().securityGroups(g -> g.groupId("sg-0fffffffffffffff0")).build());
    assertThat(provider.isDrifted(launched(nc, Map.of()))).contains("SecurityGroupDrift");
  }

  @Test
  void aChangedNodeClassSpecIsNodeClassDrift() {
    EC2NodeClass before = al2023NodeClass();
    running(current(before));
    EC2NodeClass after = al2023NodeClass();
    after.getSpec().detailedMonitoring = true;
    assertThat(provider.isDrifted(launched(after, Map.of()))).contains("NodeClassDrift");
    // The hash ignores selector terms (their results are checked above) ...
    EC2NodeClass reselected = al2023NodeClass();
    reselected.getSpec().subnetSelectorTerms.get(0).tags =
        Map.of("karpenter.sh/discovery", "demo", "tier", "private");
    assertThat(NodeClassHash.of(reselected)).isEqualTo(NodeClassHash.of(before));
    // ... and a hash annotation on the NodeClaim wins over the instance tag.
    assertThat(
            provider.isDrifted(
                launched(after, Map.of(NodeClassHash.ANNOTATION, NodeClassHash.of(after)))))
        .isEmpty();
  }
}
