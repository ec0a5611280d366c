package dev.dovetail.aws.nodeclass;

import dev.dovetail.aws.apis.v1.EC2NodeClass;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * The instance profile nodes run with: the NodeClass's own {@code instanceProfile}, or for a {@code
 * role} a profile this provider creates (named from cluster, region and NodeClass, so it is found
 * again after a restart) and deletes with the NodeClass.
 */
public final class InstanceProfileProvider {
  private final IamClient iam;
  private final String clusterName;
  private final String region;

  public InstanceProfileProvider(IamClient iam, String clusterName, String region) {
    this.iam = iam;
    this.clusterName = clusterName;
    this.region = region;
  }

  public String profileName(EC2NodeClass nodeClass) {
    CRC32 crc = new CRC32();
    crc.update((region + nodeClass.getMetadata().getName()).getBytes(StandardCharsets.UTF_8));
    return clusterName + "_" + Long.toUnsignedString(crc.getValue());
  }

  /** Ensures the profile exists (with the role) and returns its name. */
  public String ensure(EC2NodeClass nodeClass) {
    String own = nodeClass.getSpec().instanceProfile;
    if (own != null) {
      iam.getInstanceProfile(r -> r.instanceProfileName(own));
      return own;
    }
    String role = nodeClass.getSpec().role;
    if (role != null && role.startsWith("arn:")) {
      role = role.substring(role.lastIndexOf('/') + 1);
    }
    String name = profileName(nodeClass);
    InstanceProfile profile;
    try {
      profile = iam.getInstanceProfile(r -> r.instanceProfileName(name)).instanceProfile();
    } catch (NoSuchEntityException e) {
      profile =
          iam.createInstanceProfile(
                  r ->
                      r.instanceProfileName(name)
                          .tags(
                              tags(
                                  Map.of(
                                      "kubernetes.io/cluster/" + clusterName,
                                      "owned",
                                      // Karpenter's published policy conditions creation on it.
                                      "eks:eks-cluster-name",
                                      clusterName,
                                      "karpenter.k8s.aws/ec2nodeclass",
                                      nodeClass.getMetadata().getName(),
                                      "topology.kubernetes.io/region",
                                      region))))
              .instanceProfile();
    }
    String wanted = role;
    boolean hasRole = profile.roles().stream().anyMatch(r -> r.roleName().equals(wanted));
    if (!hasRole) {
      for (var r : profile.roles()) {
        iam.removeRoleFromInstanceProfile(x -> x.instanceProfileName(name).roleName(r.roleName()));
      }
      iam.addRoleToInstanceProfile(x -> x.instanceProfileName(name).roleName(wanted));
    }
    return name;
  }

  /**
   * Deletes the profile this provider made for the NodeClass (none when the NodeClass names its own
   * {@code instanceProfile}: that one is the user's). Returns whether one was deleted.
   */
  public boolean delete(EC2NodeClass nodeClass) {
    if (nodeClass.getSpec().instanceProfile != null) {
      return false;
    }
    String name = profileName(nodeClass);
    try {
      InstanceProfile profile =
          iam.getInstanceProfile(r -> r.instanceProfileName(name)).instanceProfile();
      for (var role : profile.roles()) {
        iam.removeRoleFromInstanceProfile(
            x -> x.instanceProfileName(name).roleName(role.roleName()));
      }
      iam.deleteInstanceProfile(r -> r.instanceProfileName(name));
      return true;
    } catch (NoSuchEntityException e) {
      return false; // never made, or deleted already
    }
  }

  private static List<Tag> tags(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
        .toList();
  }
}
