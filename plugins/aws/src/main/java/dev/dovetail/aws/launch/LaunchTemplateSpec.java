package dev.dovetail.aws.launch;

import dev.dovetail.aws.apis.v1.EC2NodeClass;

/**
 * One launch configuration, which is one launch template.
 *
 * @param capacityType spot, on-demand or reserved: decides the reservation preference and whether
 *     spot requests are tagged
 * @param nodePool the NodePool the launch is for, tagged on the template (IAM conditions)
 * @param capacityReservationId the targeted reservation (reserved launches only), else null
 * @param capacityReservationType {@code default} or {@code capacity-block} (reserved only)
 * @param efaCount EFA interfaces to attach (the instance types' maximum when the NodeClaim requests
 *     {@code vpc.amazonaws.com/efa}, as upstream), 0 for none
 */
public record LaunchTemplateSpec(
    EC2NodeClass nodeClass,
    String amiId,
    String userData,
    String capacityType,
    String nodePool,
    String capacityReservationId,
    String capacityReservationType,
    int efaCount) {

  /** EC2's market type and fleet target capacity type for a Capacity Block reservation. */
  public static final String CAPACITY_BLOCK = "capacity-block";

  /** A launch without EFA interfaces. */
  public LaunchTemplateSpec(
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
  public LaunchTemplateSpec(
      EC2NodeClass nodeClass, String amiId, String userData, String capacityType, String nodePool) {
    this(nodeClass, amiId, userData, capacityType, nodePool, null, null);
  }

  boolean capacityBlock() {
    return CAPACITY_BLOCK.equals(capacityReservationType);
  }
}
