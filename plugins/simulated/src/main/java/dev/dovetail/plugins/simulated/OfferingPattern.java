package dev.dovetail.plugins.simulated;

import dev.dovetail.cloudprovider.OfferingKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Names offerings to fault: {@code type/zone/capacityType}, where any part may be {@code *} (e.g.
 * {@code m5.large/ * /spot} for every zone; written without spaces).
 */
public record OfferingPattern(String instanceType, String zone, String capacityType) {
  public static final String ANY = "*";

  public OfferingPattern {
    Objects.requireNonNull(instanceType, "instanceType");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(capacityType, "capacityType");
  }

  public static OfferingPattern of(OfferingKey key) {
    return new OfferingPattern(key.instanceType(), key.zone(), key.capacityType());
  }

  public static OfferingPattern parse(String text) {
    String[] parts = text.trim().split("/", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an offering: expected instanceType/zone/capacityType");
    }
    return new OfferingPattern(parts[0], parts[1], parts[2]);
  }

  /** Comma-separated patterns; blank gives none. */
  public static List<OfferingPattern> parseList(String text) {
    List<OfferingPattern> out = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        out.add(parse(part));
      }
    }
    return out;
  }

  public boolean matches(OfferingKey key) {
    return part(instanceType, key.instanceType())
        && part(zone, key.zone())
        && part(capacityType, key.capacityType());
  }

  private static boolean part(String pattern, String value) {
    return ANY.equals(pattern) || pattern.equals(value);
  }

  @Override
  public String toString() {
    return instanceType + "/" + zone + "/" + capacityType;
  }
}
