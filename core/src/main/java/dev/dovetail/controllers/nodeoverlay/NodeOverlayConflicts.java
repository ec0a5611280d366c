package dev.dovetail.controllers.nodeoverlay;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.provider.NodeOverlays;
import dev.dovetail.provider.NodeOverlays.Overlay;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Upstream's overlay conflicts: two overlays of the same weight that select the same offering of
 * the same instance type in the same NodePool and change its price differently, or set the same
 * extended resource to different amounts. Both are then invalid (neither is applied), because their
 * order would otherwise decide silently.
 */
final class NodeOverlayConflicts {
  private NodeOverlayConflicts() {}

  /** One NodePool's view: its name, template labels and instance types (before overlays). */
  record Pool(String name, Map<String, String> labels, List<InstanceType> instanceTypes) {}

  static Set<String> find(List<Overlay> overlays, List<Pool> pools) {
    Set<String> out = new TreeSet<>();
    for (int i = 0; i < overlays.size(); i++) {
      for (int j = i + 1; j < overlays.size(); j++) {
        Overlay a = overlays.get(i);
        Overlay b = overlays.get(j);
        if (a.weight() != b.weight() || !(priceConflict(a, b) || capacityConflict(a, b))) {
          continue;
        }
        if (overlap(a, b, pools)) {
          out.add(a.name());
          out.add(b.name());
        }
      }
    }
    return out;
  }

  private static boolean priceConflict(Overlay a, Overlay b) {
    return a.price() != null && b.price() != null && !Objects.equals(a.price(), b.price());
  }

  private static boolean capacityConflict(Overlay a, Overlay b) {
    for (var e : a.capacity().asMap().entrySet()) {
      Long other = b.capacity().asMap().get(e.getKey());
      if (other != null && !other.equals(e.getValue())) {
        return true;
      }
    }
    return false;
  }

  /** Whether some offering of some pool's instance type is selected by both. */
  private static boolean overlap(Overlay a, Overlay b, List<Pool> pools) {
    for (Pool p : pools) {
      for (InstanceType it : p.instanceTypes()) {
        if (!NodeOverlays.matchesType(a, p.name(), p.labels(), it)
            || !NodeOverlays.matchesType(b, p.name(), p.labels(), it)) {
          continue;
        }
        for (Offering o : it.offerings()) {
          if (o.compatibleWith(a.requirements()) && o.compatibleWith(b.requirements())) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
