package dev.dovetail.aws.nodeclass;

import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.aws.cache.TtlCache;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * The instance profile nodes run with: the NodeClass's own {@code instanceProfile}, or for a {@code
 * role} a profile this provider creates and deletes with the NodeClass.
 *
 * <p>As upstream, a profile holds one role for its whole life: its name hashes region, NodeClass
 * and role, so a role change creates a new profile (instances running with the old one keep their
 * credentials) instead of swapping the role under running nodes. Profiles are created under the IAM
 * path {@code /karpenter/<region>/<cluster>/<nodeclass uid>/}, which is how the NodeClass's
 * replaced profiles are found again (also after a restart) and deleted once no instance uses them.
 */
public final class InstanceProfileProvider {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceProfileProvider.class);

  /** States in which an instance still holds its instance profile. */
  private static final List<String> LIVE_STATES =
      List.of("pending", "running", "stopping", "stopped", "shutting-down");

  private final IamClient iam;
  private final Ec2Client ec2;
  private final String clusterName;
  private final String region;

  /** NodeClass name -> the profile whose replaced siblings were checked lately. */
  private final TtlCache<String, String> checked;

  public InstanceProfileProvider(
      IamClient iam, Ec2Client ec2, String clusterName, String region, Clock clock) {
    this.iam = iam;
    this.ec2 = ec2;
    this.clusterName = clusterName;
    this.region = region;
    // Replaced profiles are looked for at once after a role change, then every 5 minutes.
    this.checked = new TtlCache<>(clock, Duration.ofMinutes(5));
  }

  /** {@code <cluster>_<hash of region, NodeClass name and role>}, as upstream's format. */
  public String profileName(EC2NodeClass nodeClass) {
    return clusterName
        + "_"
        + Long.toUnsignedString(
            fnv1a64(region + nodeClass.getMetadata().getName() + roleName(nodeClass)));
  }

  /**
   * The IAM path of the NodeClass's profiles, upstream's {@code
   * /karpenter/<region>/<cluster>/<uid>/}.
   */
  public String path(EC2NodeClass nodeClass) {
    String uid = nodeClass.getMetadata().getUid();
    // A NodeClass always has a uid on the API server; a bare object (tools, tests) uses its name.
    String id = uid == null || uid.isBlank() ? nodeClass.getMetadata().getName() : uid;
    return "/karpenter/" + region + "/" + clusterName + "/" + id + "/";
  }

  private static String roleName(EC2NodeClass nodeClass) {
    String role = nodeClass.getSpec().role;
    if (role != null && role.startsWith("arn:")) {
      role = role.substring(role.lastIndexOf('/') + 1);
    }
    return role;
  }

  private static long fnv1a64(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** Ensures the profile exists (with the role) and returns its name. */
  public String ensure(EC2NodeClass nodeClass) {
    String own = nodeClass.getSpec().instanceProfile;
    if (own != null) {
      iam.getInstanceProfile(r -> r.instanceProfileName(own));
      return own;
    }
    String role = roleName(nodeClass);
    String name = profileName(nodeClass);
    InstanceProfile profile;
    try {
      profile = iam.getInstanceProfile(r -> r.instanceProfileName(name)).instanceProfile();
    } catch (NoSuchEntityException e) {
      profile =
          iam.createInstanceProfile(
                  r ->
                      r.instanceProfileName(name)
                          .path(path(nodeClass))
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
    boolean hasRole = profile.roles().stream().anyMatch(r -> r.roleName().equals(role));
    if (!hasRole) {
      for (var r : profile.roles()) {
        iam.removeRoleFromInstanceProfile(x -> x.instanceProfileName(name).roleName(r.roleName()));
      }
      iam.addRoleToInstanceProfile(x -> x.instanceProfileName(name).roleName(role));
    }
    if (!name.equals(checked.get(nodeClass.getMetadata().getName()))) {
      deleteReplaced(nodeClass, name);
      checked.put(nodeClass.getMetadata().getName(), name);
    }
    return name;
  }

  /**
   * Deletes the NodeClass's profiles other than {@code current} (made for an earlier role) that no
   * instance holds any more. Best effort: a failure is logged and retried at the next check.
   */
  private void deleteReplaced(EC2NodeClass nodeClass, String current) {
    try {
      for (InstanceProfile p : listed(nodeClass)) {
        if (!p.instanceProfileName().equals(current) && !inUse(p)) {
          delete(p.instanceProfileName(), p);
          LOG.info(
              "deleted instance profile {} replaced after a role change of EC2NodeClass {}",
              p.instanceProfileName(),
              nodeClass.getMetadata().getName());
        }
      }
    } catch (SdkException e) {
      LOG.warn(
          "cleaning up replaced instance profiles of EC2NodeClass {} failed (retried later): {}",
          nodeClass.getMetadata().getName(),
          e.getMessage());
      checked.invalidate(nodeClass.getMetadata().getName());
    }
  }

  private List<InstanceProfile> listed(EC2NodeClass nodeClass) {
    List<InstanceProfile> out = new ArrayList<>();
    iam.listInstanceProfilesPaginator(r -> r.pathPrefix(path(nodeClass)))
        .instanceProfiles()
        .forEach(out::add);
    return out;
  }

  /** Whether an instance (not yet terminated) runs with the profile. */
  private boolean inUse(InstanceProfile profile) {
    return ec2
        .describeInstancesPaginator(
            r ->
                r.filters(
                    Filter.builder().name("iam-instance-profile.arn").values(profile.arn()).build(),
                    Filter.builder().name("instance-state-name").values(LIVE_STATES).build()))
        .reservations()
        .stream()
        .anyMatch(res -> !res.instances().isEmpty());
  }

  private void delete(String name, InstanceProfile profile) {
    for (var role : profile.roles()) {
      iam.removeRoleFromInstanceProfile(x -> x.instanceProfileName(name).roleName(role.roleName()));
    }
    iam.deleteInstanceProfile(r -> r.instanceProfileName(name));
  }

  /**
   * Deletes the profiles this provider made for the NodeClass: the current one and any replaced one
   * under its path (none when the NodeClass names its own {@code instanceProfile}: that one is the
   * user's). Returns whether one was deleted.
   */
  public boolean delete(EC2NodeClass nodeClass) {
    if (nodeClass.getSpec().instanceProfile != null) {
      return false;
    }
    boolean deleted = false;
    String name = profileName(nodeClass);
    try {
      delete(name, iam.getInstanceProfile(r -> r.instanceProfileName(name)).instanceProfile());
      deleted = true;
    } catch (NoSuchEntityException e) {
      // never made, or deleted already
    }
    for (InstanceProfile p : listed(nodeClass)) {
      if (!p.instanceProfileName().equals(name)) {
        try {
          delete(p.instanceProfileName(), p);
          deleted = true;
        } catch (NoSuchEntityException e) {
          // deleted meanwhile
        }
      }
    }
    checked.invalidate(nodeClass.getMetadata().getName());
    return deleted;
  }

  private static List<Tag> tags(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
        .toList();
  }
}
