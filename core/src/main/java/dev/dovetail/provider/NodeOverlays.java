package dev.dovetail.provider;

import dev.dovetail.apis.v1alpha1.NodeOverlay;
import dev.dovetail.apis.v1alpha1.NodeOverlayRequirement;
import dev.dovetail.apis.v1alpha1.NodeOverlaySpec;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Operator;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The valid NodeOverlays, in upstream's precedence (higher weight first; equal weights by name,
 * later in the alphabet first), applied to the instance types a NodePool offers: the first overlay
 * that sets a price decides each matching offering's price (overlays do not stack), and each
 * extended resource comes from the first overlay that sets it. Immutable.
 */
public final class NodeOverlays {
  public static final NodeOverlays NONE = new NodeOverlays(List.of());

  /** Offering-level keys: matched per offering, not per instance type. */
  private static final Set<String> OFFERING_KEYS =
      Set.of(
          WellKnownLabels.ZONE,
          WellKnownLabels.CAPACITY_TYPE,
          WellKnownLabels.CAPACITY_RESERVATION_ID);

  /** How an overlay changes a price. */
  public record PriceChange(Kind kind, double amount) {
    public enum Kind {
      SET,
      ADD,
      PERCENT
    }

    public double apply(double price) {
      double out =
          switch (kind) {
            case SET -> amount;
            case ADD -> price + amount;
            case PERCENT -> price * (1 + amount / 100);
          };
      return Math.max(0, out);
    }

    /** {@code price} (absolute) or {@code priceAdjustment} ({@code ±n} or {@code ±n%}). */
    static PriceChange parse(String price, String adjustment) {
      if (price != null) {
        if (!price.matches(NodeOverlaySpec.PRICE_PATTERN)) {
          throw new IllegalArgumentException("spec.price '" + price + "' is not a price");
        }
        return new PriceChange(Kind.SET, Double.parseDouble(price));
      }
      if (adjustment == null) {
        return null;
      }
      if (!adjustment.matches(NodeOverlaySpec.PRICE_ADJUSTMENT_PATTERN)) {
        throw new IllegalArgumentException(
            "spec.priceAdjustment '" + adjustment + "' is not ±n or ±n% (at least -100%)");
      }
      if (adjustment.endsWith("%")) {
        return new PriceChange(
            Kind.PERCENT, Double.parseDouble(adjustment.substring(0, adjustment.length() - 1)));
      }
      return new PriceChange(Kind.ADD, Double.parseDouble(adjustment));
    }
  }

  /** One overlay, parsed. */
  public record Overlay(
      String name, int weight, Requirements requirements, PriceChange price, Resources capacity) {}

  private final List<Overlay> ordered;

  public NodeOverlays(List<Overlay> overlays) {
    List<Overlay> sorted = new ArrayList<>(overlays);
    sorted.sort(precedence());
    this.ordered = List.copyOf(sorted);
  }

  /** Higher weight first; equal weights: the name later in the alphabet first (as upstream). */
  public static Comparator<Overlay> precedence() {
    return Comparator.comparingInt(Overlay::weight)
        .reversed()
        .thenComparing(Overlay::name, Comparator.reverseOrder());
  }

  public List<Overlay> overlays() {
    return ordered;
  }

  /**
   * Parses and runtime-validates an overlay (the checks the API server's schema makes, repeated
   * because the embedded API and old servers may not enforce CEL).
   *
   * @throws IllegalArgumentException naming the field
   */
  public static Overlay parse(NodeOverlay o) {
    NodeOverlaySpec spec = o.getSpec();
    if (spec == null) {
      throw new IllegalArgumentException("spec is required");
    }
    if (spec.price != null && spec.priceAdjustment != null) {
      throw new IllegalArgumentException("cannot set both 'price' and 'priceAdjustment'");
    }
    if (spec.weight != null && (spec.weight < 1 || spec.weight > 10000)) {
      throw new IllegalArgumentException("spec.weight must be between 1 and 10000");
    }
    List<Requirement> reqs = new ArrayList<>();
    int i = 0;
    for (NodeOverlayRequirement r :
        spec.requirements == null ? List.<NodeOverlayRequirement>of() : spec.requirements) {
      reqs.add(requirement(r, "spec.requirements[" + i++ + "]"));
    }
    Resources capacity = CloudProviderFacade.resources(spec.capacity);
    for (String k : capacity.asMap().keySet()) {
      if (Set.of(Resources.CPU, Resources.MEMORY, Resources.EPHEMERAL_STORAGE, Resources.PODS)
          .contains(k)) {
        throw new IllegalArgumentException(
            "spec.capacity." + k + ": only extended resources may be added");
      }
    }
    return new Overlay(
        o.getMetadata().getName(),
        spec.weight == null ? 0 : spec.weight,
        Requirements.of(reqs),
        PriceChange.parse(spec.price, spec.priceAdjustment),
        capacity);
  }

  private static Requirement requirement(NodeOverlayRequirement r, String field) {
    if (r.key == null || r.key.isBlank()) {
      throw new IllegalArgumentException(field + ".key is required");
    }
    List<String> values = r.values == null ? List.of() : r.values;
    String op = r.operator == null ? "" : r.operator;
    switch (op) {
      case "In", "NotIn" -> {
        if (values.isEmpty()) {
          throw new IllegalArgumentException(field + ": operator " + op + " needs values");
        }
        return Requirement.of(r.key, Operator.valueOf(op), values, null);
      }
      case "Exists", "DoesNotExist" -> {
        return Requirement.of(r.key, Operator.valueOf(op), List.of(), null);
      }
      case "Gt", "Lt", "Gte", "Lte" -> {
        long n;
        try {
          n = values.size() == 1 ? Long.parseLong(values.get(0)) : -1;
        } catch (NumberFormatException e) {
          n = -1;
        }
        if (n < 0) {
          throw new IllegalArgumentException(
              field + ": operator " + op + " needs a single non-negative integer");
        }
        return switch (op) {
          case "Gt" -> Requirement.of(r.key, Operator.Gt, List.of(Long.toString(n)), null);
          case "Lt" -> Requirement.of(r.key, Operator.Lt, List.of(Long.toString(n)), null);
          case "Gte" -> Requirement.of(r.key, Operator.Gt, List.of(Long.toString(n - 1)), null);
          default -> Requirement.of(r.key, Operator.Lt, List.of(Long.toString(n + 1)), null);
        };
      }
      default ->
          throw new IllegalArgumentException(
              field
                  + ".operator '"
                  + op
                  + "' is not one of In, NotIn, Exists, DoesNotExist, Gt,"
                  + " Lt, Gte, Lte");
    }
  }

  /** The pool's instance types with the overlays applied (the same list when none match). */
  public List<InstanceType> apply(
      String nodePool, Map<String, String> poolLabels, List<InstanceType> types) {
    if (ordered.isEmpty()) {
      return types;
    }
    List<InstanceType> out = new ArrayList<>(types.size());
    for (InstanceType it : types) {
      out.add(apply(nodePool, poolLabels, it));
    }
    return out;
  }

  private InstanceType apply(String nodePool, Map<String, String> poolLabels, InstanceType it) {
    List<Overlay> matching = new ArrayList<>();
    for (Overlay o : ordered) {
      if (matchesType(o, nodePool, poolLabels, it)) {
        matching.add(o);
      }
    }
    if (matching.isEmpty()) {
      return it;
    }
    List<Offering> offerings = new ArrayList<>(it.offerings().size());
    for (Offering off : it.offerings()) {
      Offering priced = off;
      for (Overlay o : matching) {
        if (o.price() != null && off.compatibleWith(o.requirements())) {
          priced =
              new Offering(
                  off.zone(),
                  off.capacityType(),
                  o.price().apply(off.price()),
                  off.available(),
                  off.reservationId(),
                  off.reservationCapacity());
          break; // the first (highest-precedence) price wins
        }
      }
      offerings.add(priced);
    }
    Map<String, Long> extra = new HashMap<>();
    for (Overlay o : matching) {
      o.capacity().asMap().forEach(extra::putIfAbsent);
    }
    Resources capacity = it.capacity();
    if (!extra.isEmpty()) {
      Map<String, Long> merged = new HashMap<>(capacity.asMap());
      merged.putAll(extra);
      capacity = Resources.of(merged);
    }
    return new InstanceType(it.name(), it.requirements(), offerings, capacity, it.overhead());
  }

  /**
   * Whether the overlay's instance-type-level requirements select this instance type of this pool
   * (offering-level keys are checked per offering).
   */
  public static boolean matchesType(
      Overlay o, String nodePool, Map<String, String> poolLabels, InstanceType it) {
    if (it.offerings().stream().noneMatch(off -> off.compatibleWith(o.requirements()))) {
      return false;
    }
    for (Requirement r : o.requirements().all()) {
      if (OFFERING_KEYS.contains(r.key())) {
        continue;
      }
      String value = WellKnownLabels.NODE_POOL.equals(r.key()) ? nodePool : poolLabels.get(r.key());
      if (value != null) {
        if (!r.has(value)) {
          return false;
        }
        continue;
      }
      Requirement mine = it.requirements().get(r.key());
      if (mine != null) {
        if (!Requirements.of(mine).isCompatible(Requirements.of(r), Set.of())) {
          return false;
        }
        continue;
      }
      Operator op = r.operator();
      if (op != Operator.NotIn && op != Operator.DoesNotExist) {
        return false; // the label is absent
      }
    }
    return true;
  }
}
