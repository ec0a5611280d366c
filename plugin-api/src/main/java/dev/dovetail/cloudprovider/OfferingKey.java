package dev.dovetail.cloudprovider;

/** Names one offering of one instance type, e.g. in an insufficient-capacity error. */
public record OfferingKey(String instanceType, String zone, String capacityType) {
  @Override
  public String toString() {
    return instanceType + "/" + zone + "/" + capacityType;
  }
}
