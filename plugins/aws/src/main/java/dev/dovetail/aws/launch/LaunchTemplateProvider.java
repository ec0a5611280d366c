package dev.dovetail.aws.launch;

import dev.dovetail.aws.cache.TtlCache;
import dev.dovetail.aws.instancetype.AwsLabels;
import dev.dovetail.aws.nodeclass.NodeClassHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplatesRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The lifecycle of launch templates, one per distinct launch configuration (AMI, user data,
 * security groups, volumes, metadata options, instance profile, capacity reservation, NodeClass
 * hash), named {@code karpenter.k8s.aws/<hash>} so any replica finds and reuses the same one:
 * create when missing (remembered for five minutes), and delete the templates of a NodeClass that
 * it no longer produces. What a template holds is {@link LaunchTemplateData}'s job.
 */
public final class LaunchTemplateProvider {
  public static final String NAME_PREFIX = "karpenter.k8s.aws/";
  public static final String CLUSTER_TAG = "karpenter.k8s.aws/cluster";
  public static final String AMI_TAG = "karpenter.k8s.aws/ami-id";

  private static final String NOT_FOUND = "InvalidLaunchTemplateName.NotFoundException";

  private final Ec2Client ec2;
  private final String clusterName;
  private final LaunchTemplateData data;
  private final TtlCache<String, String> known;

  public LaunchTemplateProvider(Ec2Client ec2, String clusterName, Clock clock) {
    this.ec2 = ec2;
    this.clusterName = clusterName;
    this.data = new LaunchTemplateData(clusterName);
    this.known = new TtlCache<>(clock, Duration.ofMinutes(5));
  }

  /**
   * The template's name for a spec (deterministic): a hash of everything the template holds. The
   * SDK's {@code toString} prints user data as {@code *** Sensitive Data Redacted ***}, so the user
   * data (labels, taints, kubelet flags of the NodePool) is hashed in on its own: two NodePools
   * sharing a NodeClass and AMI must not share a template.
   */
  public String name(LaunchTemplateSpec spec) {
    return name(spec, data.of(spec));
  }

  private String name(LaunchTemplateSpec spec, RequestLaunchTemplateData content) {
    String key =
        clusterName
            + "|"
            + spec.nodeClass().getMetadata().getName()
            + "|"
            + NodeClassHash.of(spec.nodeClass())
            + "|"
            + content.toString()
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
  public String ensure(LaunchTemplateSpec spec) {
    RequestLaunchTemplateData content = data.of(spec);
    String name = name(spec, content);
    if (known.get(name) != null) {
      return name;
    }
    if (describe(name).isEmpty()) {
      try {
        ec2.createLaunchTemplate(
            r ->
                r.launchTemplateName(name)
                    .launchTemplateData(content)
                    .tagSpecifications(
                        TagSpecification.builder()
                            .resourceType(ResourceType.LAUNCH_TEMPLATE)
                            .tags(tags(spec))
                            .build()));
      } catch (AwsServiceException e) {
        // Another replica (or an earlier attempt) created it first: reuse it.
        if (!"InvalidLaunchTemplateName.AlreadyExistsException".equals(Ec2Errors.code(e))) {
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
      if (NOT_FOUND.equals(Ec2Errors.code(e))) {
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

  private List<String> delete(String nodeClassName, Predicate<LaunchTemplate> unwanted) {
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
                  if (!NOT_FOUND.equals(Ec2Errors.code(e))) {
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
   * The tags of the template itself: the launch tags plus what cleanup finds templates by (cluster,
   * NodeClass hash, AMI).
   */
  private List<Tag> tags(LaunchTemplateSpec spec) {
    Map<String, String> t = data.launchTags(spec);
    t.put(CLUSTER_TAG, clusterName);
    t.put(NodeClassHash.ANNOTATION, NodeClassHash.of(spec.nodeClass()));
    t.put(AMI_TAG, spec.amiId());
    return LaunchTemplateData.toTags(t);
  }
}
