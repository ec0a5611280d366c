package dev.dovetail.aws.nodeclass;

import dev.dovetail.aws.apis.v1.AmiFamily;
import dev.dovetail.aws.apis.v1.EC2NodeClass;
import dev.dovetail.aws.apis.v1.EC2NodeClassStatus;
import dev.dovetail.aws.cache.TtlCache;
import dev.dovetail.aws.cluster.ClusterDiscovery;
import dev.dovetail.aws.cluster.ClusterInfo;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Fills an EC2NodeClass's status: subnets, security groups, AMIs (with their requirements),
 * capacity reservations, instance profile, and a condition per part plus Ready. A NodeClass whose
 * selectors match nothing is not Ready, and the condition says which selector and why. Results are
 * cached for a minute per NodeClass and spec (upstream's default TTL).
 */
public final class NodeClassResolver {
  private final SubnetProvider subnets;
  private final SecurityGroupProvider securityGroups;
  private final AmiProvider amis;
  private final CapacityReservationProvider capacityReservations;
  private final InstanceProfileProvider instanceProfiles;
  private final ClusterDiscovery cluster;
  private final String clusterName;
  private final Clock clock;
  private final TtlCache<String, EC2NodeClassStatus> cache;

  public NodeClassResolver(
      SubnetProvider subnets,
      SecurityGroupProvider securityGroups,
      AmiProvider amis,
      CapacityReservationProvider capacityReservations,
      InstanceProfileProvider instanceProfiles,
      ClusterDiscovery cluster,
      String clusterName,
      Clock clock) {
    this.cluster = cluster;
    this.clusterName = clusterName;
    this.subnets = subnets;
    this.securityGroups = securityGroups;
    this.amis = amis;
    this.capacityReservations = capacityReservations;
    this.instanceProfiles = instanceProfiles;
    this.clock = clock;
    this.cache = new TtlCache<>(clock, Duration.ofMinutes(1));
  }

  /** Resolves (or reuses) the status and sets it on the NodeClass; returns it. */
  public EC2NodeClassStatus resolve(EC2NodeClass nodeClass) {
    String key =
        nodeClass.getMetadata().getName()
            + "/"
            + NodeClassHash.of(nodeClass)
            + "/"
            + selectorsKey(nodeClass);
    EC2NodeClassStatus status = cache.computeIfAbsent(key, k -> compute(nodeClass));
    nodeClass.setStatus(status);
    return status;
  }

  public void invalidate() {
    cache.clear();
  }

  private static String selectorsKey(EC2NodeClass nc) {
    try {
      return Integer.toHexString(
          io.fabric8.kubernetes.client.utils.Serialization.asJson(nc.getSpec()).hashCode());
    } catch (RuntimeException e) {
      return "";
    }
  }

  private EC2NodeClassStatus compute(EC2NodeClass nodeClass) {
    EC2NodeClassStatus status = new EC2NodeClassStatus();
    List<Condition> conditions = new ArrayList<>();
    var spec = nodeClass.getSpec();
    long generation =
        nodeClass.getMetadata().getGeneration() == null
            ? 0
            : nodeClass.getMetadata().getGeneration();

    List<String> invalid = EC2NodeClassValidation.validate(nodeClass);
    conditions.add(
        invalid.isEmpty()
            ? cond(
                EC2NodeClassStatus.VALIDATION_SUCCEEDED,
                true,
                "ValidationSucceeded",
                "",
                generation)
            : cond(
                EC2NodeClassStatus.VALIDATION_SUCCEEDED,
                false,
                "ValidationFailed",
                String.join("; ", invalid),
                generation));

    if (EC2NodeClassValidation.effectiveFamily(spec) != AmiFamily.Custom) {
      // Generated user data points the node at the API server: without it the node is paid for
      // and never joins. (Custom user data is the user's own.)
      ClusterInfo info = cluster.current();
      conditions.add(
          info.hasEndpoint()
              ? cond(
                  EC2NodeClassStatus.CLUSTER_ENDPOINT_READY,
                  true,
                  EC2NodeClassStatus.CLUSTER_ENDPOINT_READY,
                  "",
                  generation)
              : cond(
                  EC2NodeClassStatus.CLUSTER_ENDPOINT_READY,
                  false,
                  "ClusterEndpointUnknown",
                  info.endpointMessage(clusterName),
                  generation));
    }
    conditions.add(
        part(
            EC2NodeClassStatus.SUBNETS_READY,
            "SubnetsNotFound",
            "SubnetSelector did not match any Subnets",
            generation,
            () -> {
              status.subnets =
                  subnets.list(spec.subnetSelectorTerms).stream()
                      .map(SubnetProvider::toStatus)
                      .toList();
              return !status.subnets.isEmpty();
            }));
    conditions.add(
        part(
            EC2NodeClassStatus.SECURITY_GROUPS_READY,
            "SecurityGroupsNotFound",
            "SecurityGroupSelector did not match any SecurityGroups",
            generation,
            () -> {
              status.securityGroups =
                  securityGroups.list(spec.securityGroupSelectorTerms).stream()
                      .map(g -> new EC2NodeClassStatus.SecurityGroup(g.groupId(), g.groupName()))
                      .toList();
              return !status.securityGroups.isEmpty();
            }));
    conditions.add(
        part(
            EC2NodeClassStatus.AMIS_READY,
            "AMINotFound",
            "AMISelector did not match any AMIs",
            generation,
            () -> {
              status.amis = amis.list(spec).stream().map(AmiProvider::toStatus).toList();
              return !status.amis.isEmpty();
            }));
    conditions.add(
        part(
            EC2NodeClassStatus.INSTANCE_PROFILE_READY,
            "InstanceProfileNotFound",
            "no instance profile",
            generation,
            () -> {
              status.instanceProfile = instanceProfiles.ensure(nodeClass);
              return status.instanceProfile != null;
            }));
    if (spec.capacityReservationSelectorTerms != null
        && !spec.capacityReservationSelectorTerms.isEmpty()) {
      conditions.add(
          part(
              EC2NodeClassStatus.CAPACITY_RESERVATIONS_READY,
              "CapacityReservationsNotFound",
              "",
              generation,
              () -> {
                status.capacityReservations =
                    capacityReservations.list(spec.capacityReservationSelectorTerms);
                // No matching reservation is not an error: the NodeClass launches on-demand/spot.
                return true;
              }));
    }
    List<String> failing =
        conditions.stream()
            .filter(c -> !"True".equals(c.getStatus()))
            .map(c -> c.getType() + ": " + c.getMessage())
            .toList();
    conditions.add(
        failing.isEmpty()
            ? cond(EC2NodeClassStatus.READY, true, "Ready", "", generation)
            : cond(
                EC2NodeClassStatus.READY,
                false,
                "NotReady",
                String.join("; ", failing),
                generation));
    status.conditions = conditions;
    return status;
  }

  private Condition part(
      String type, String reason, String emptyMessage, long generation, Supplier<Boolean> body) {
    try {
      return body.get()
          ? cond(type, true, type, "", generation)
          : cond(type, false, reason, emptyMessage, generation);
    } catch (SdkException | IllegalArgumentException e) {
      return cond(type, false, reason, e.getMessage(), generation);
    }
  }

  private Condition cond(String type, boolean ok, String reason, String message, long generation) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(ok ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(clock.instant().toString())
        .build();
  }
}
