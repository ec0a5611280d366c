package dev.dovetail.aws.instancetype;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.LinkedHashMap;
import java.util.Map;

/** Node labels that come from an instance type. */
public final class InstanceTypeLabels {
  private InstanceTypeLabels() {}

  /**
   * The instance type's own labels, without those that belong to one offering (zone, zone id,
   * capacity type, reservation): a type with one reservation would otherwise label every node of
   * that type with it, reserved or not.
   */
  public static Map<String, String> withoutOfferingLabels(InstanceType type) {
    Map<String, String> labels = new LinkedHashMap<>(type.requirements().singleValueLabels());
    labels.remove(WellKnownLabels.CAPACITY_RESERVATION_ID);
    labels.remove(WellKnownLabels.CAPACITY_TYPE);
    labels.remove(WellKnownLabels.ZONE);
    labels.remove(AwsLabels.ZONE_ID);
    return labels;
  }
}
