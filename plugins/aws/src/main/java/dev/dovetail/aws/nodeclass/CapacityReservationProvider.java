package dev.dovetail.aws.nodeclass;

import dev.dovetail.aws.apis.v1.EC2NodeClassStatus;
import dev.dovetail.aws.apis.v1.SelectorTerms;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CapacityReservation;
import software.amazon.awssdk.services.ec2.model.DescribeCapacityReservationsRequest;
import software.amazon.awssdk.services.ec2.model.Filter;

/** Resolves capacity reservation selector terms to active on-demand capacity reservations. */
public final class CapacityReservationProvider {
  private final Ec2Client ec2;

  public CapacityReservationProvider(Ec2Client ec2) {
    this.ec2 = ec2;
  }

  public List<EC2NodeClassStatus.CapacityReservation> list(
      List<SelectorTerms.CapacityReservationSelectorTerm> terms) {
    Map<String, CapacityReservation> byId = new LinkedHashMap<>();
    if (terms == null) {
      return List.of();
    }
    for (SelectorTerms.CapacityReservationSelectorTerm term : terms) {
      DescribeCapacityReservationsRequest.Builder req =
          DescribeCapacityReservationsRequest.builder();
      List<Filter> filters = new ArrayList<>(Filters.tags(term.tags));
      filters.add(Filters.of("state", "active"));
      if (term.id != null) {
        req.capacityReservationIds(term.id);
      }
      if (term.ownerID != null) {
        filters.add(Filters.of("owner-id", term.ownerID));
      }
      if (term.instanceMatchCriteria != null) {
        filters.add(Filters.of("instance-match-criteria", term.instanceMatchCriteria));
      }
      ec2.describeCapacityReservationsPaginator(req.filters(filters).build())
          .capacityReservations()
          .forEach(cr -> byId.putIfAbsent(cr.capacityReservationId(), cr));
    }
    List<EC2NodeClassStatus.CapacityReservation> out = new ArrayList<>();
    for (CapacityReservation cr : byId.values()) {
      EC2NodeClassStatus.CapacityReservation s = new EC2NodeClassStatus.CapacityReservation();
      s.id = cr.capacityReservationId();
      s.availabilityZone = cr.availabilityZone();
      s.instanceType = cr.instanceType();
      s.ownerID = cr.ownerId();
      s.instanceMatchCriteria = cr.instanceMatchCriteriaAsString();
      s.reservationType =
          "capacity-block".equals(cr.reservationTypeAsString()) ? "capacity-block" : "default";
      s.endTime = cr.endDate() == null ? null : cr.endDate().toString();
      s.availableInstanceCount = cr.availableInstanceCount();
      out.add(s);
    }
    return out;
  }
}
