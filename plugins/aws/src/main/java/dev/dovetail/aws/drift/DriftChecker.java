package dev.dovetail.aws.drift;

import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.aws.apis.v1.EC2NodeClassStatus;
import dev.dovetail.aws.launch.InstanceProvider;
import dev.dovetail.aws.launch.ProviderIds;
import dev.dovetail.aws.nodeclass.NodeClassHash;
import dev.dovetail.aws.nodeclass.NodeClassResolver;
import dev.dovetail.cloudprovider.NodeClaimView;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;

/**
 * Whether a NodeClaim's instance still matches its EC2NodeClass (upstream's {@code
 * cloudprovider/drift.go}): AMI, subnet and security groups against the resolved status, and the
 * NodeClass hash the instance was launched with against today's.
 */
public final class DriftChecker {
  private final InstanceProvider instances;
  private final NodeClassResolver resolver;

  public DriftChecker(InstanceProvider instances, NodeClassResolver resolver) {
    this.instances = instances;
    this.resolver = resolver;
  }

  public Optional<String> isDrifted(NodeClaimView claim) {
    if (claim.providerId() == null || !(claim.nodeClass() instanceof EC2NodeClass nc)) {
      return Optional.empty();
    }
    software.amazon.awssdk.services.ec2.model.Instance i =
        instances.get(ProviderIds.instanceId(claim.providerId()));
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
}
