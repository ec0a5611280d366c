package dev.dovetail.aws.launch;

import java.util.Set;

/** CreateFleet error codes, classified as upstream does (aws:pkg/errors/errors.go). */
public final class FleetErrors {
  private FleetErrors() {}

  /** No capacity for this offering right now: mark it unavailable and try others. */
  public static final Set<String> UNFULFILLABLE_CAPACITY =
      Set.of(
          "InsufficientInstanceCapacity",
          "MaxSpotInstanceCountExceeded",
          "VcpuLimitExceeded",
          "UnfulfillableCapacity",
          "Unsupported",
          "InsufficientFreeAddressesInSubnet",
          "MaxFleetCountExceeded",
          "ReservationCapacityExceeded",
          "InsufficientCapacityOnHost");

  /** The spot quota is exhausted: no spot anywhere for a while. */
  public static final String SPOT_QUOTA = "MaxSpotInstanceCountExceeded";

  /**
   * The account may not create the EC2 Spot service-linked role: no spot launch can succeed until
   * someone creates it, so spot is unavailable (upstream falls back to on-demand).
   */
  public static final String SERVICE_LINKED_ROLE_CREATION_NOT_PERMITTED =
      "AuthFailure.ServiceLinkedRoleCreationNotPermitted";

  public static boolean isServiceLinkedRoleCreationNotPermitted(String code) {
    return SERVICE_LINKED_ROLE_CREATION_NOT_PERMITTED.equals(code);
  }

  public static boolean isUnfulfillable(String code) {
    return code != null && UNFULFILLABLE_CAPACITY.contains(code);
  }

  /** Launch template not found (deleted underneath us): drop the cache and retry. */
  public static boolean isLaunchTemplateNotFound(String code) {
    return "InvalidLaunchTemplateName.NotFoundException".equals(code)
        || "InvalidLaunchTemplateId.NotFound".equals(code);
  }
}
