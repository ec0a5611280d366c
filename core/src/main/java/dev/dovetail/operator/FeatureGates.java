package dev.dovetail.operator;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Karpenter's feature gates, with upstream's names and defaults ({@code --feature-gates} / {@code
 * FEATURE_GATES}, e.g. {@code NodeRepair=true,SpotToSpotConsolidation=true}).
 *
 * <p>Where each is honoured: {@code NodeRepair} starts the node repair controller; {@code
 * SpotToSpotConsolidation} lets consolidation replace a spot node with a cheaper spot node; {@code
 * NodeOverlay}, {@code StaticCapacity} and {@code CapacityBuffer} start their controllers (see
 * {@code DovetailOperator.startParityControllers}); {@code ReservedCapacity} is stored only.
 */
public record FeatureGates(
    boolean nodeRepair,
    boolean reservedCapacity,
    boolean spotToSpotConsolidation,
    boolean nodeOverlay,
    boolean staticCapacity,
    boolean capacityBuffer) {

  /** Upstream's defaults. */
  public static final FeatureGates DEFAULTS =
      new FeatureGates(false, true, false, false, false, false);

  /** The gates by upstream name, in upstream's order. */
  public Map<String, Boolean> asMap() {
    Map<String, Boolean> m = new LinkedHashMap<>();
    m.put("NodeRepair", nodeRepair);
    m.put("ReservedCapacity", reservedCapacity);
    m.put("SpotToSpotConsolidation", spotToSpotConsolidation);
    m.put("NodeOverlay", nodeOverlay);
    m.put("StaticCapacity", staticCapacity);
    m.put("CapacityBuffer", capacityBuffer);
    return m;
  }

  /** As upstream's {@code --feature-gates} prints them. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    asMap().forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return b.toString();
  }

  /**
   * Parses {@code Name=bool,...} over the defaults. Names match upstream's exactly; an unknown name
   * or a value other than true/false is refused with a message naming it.
   */
  public static FeatureGates parse(String text) {
    Map<String, Boolean> gates = DEFAULTS.asMap();
    if (text != null && !text.isBlank()) {
      for (String part : text.split(",")) {
        String p = part.trim();
        if (p.isEmpty()) {
          continue;
        }
        int eq = p.indexOf('=');
        String name = eq < 0 ? p : p.substring(0, eq).trim();
        String value = eq < 0 ? "" : p.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
        if (!gates.containsKey(name)) {
          throw new IllegalArgumentException(
              "--feature-gates: unknown feature gate '"
                  + name
                  + "' (known: "
                  + String.join(", ", gates.keySet())
                  + ")");
        }
        if (!value.equals("true") && !value.equals("false")) {
          throw new IllegalArgumentException(
              "--feature-gates: " + name + " must be true or false, got '" + p + "'");
        }
        gates.put(name, Boolean.parseBoolean(value));
      }
    }
    return new FeatureGates(
        gates.get("NodeRepair"),
        gates.get("ReservedCapacity"),
        gates.get("SpotToSpotConsolidation"),
        gates.get("NodeOverlay"),
        gates.get("StaticCapacity"),
        gates.get("CapacityBuffer"));
  }
}
