package dev.dovetail.metrics;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link MultiGauge} whose rows are set as a whole, touching the registry only for the rows that
 * changed. {@code MultiGauge.register(rows, true)} removes and re-registers every row each time:
 * one row per pod, 40,000 registry removals and registrations per refresh on a cluster of 40,000
 * pods whether or not anything changed. Here an unchanged set of rows costs one map comparison, a
 * row whose value changed is replaced, a new one added, a missing one removed.
 */
final class GaugeRows {
  private final MultiGauge gauge;
  private Map<Tags, Double> current = Map.of();
  private long registrations;

  GaugeRows(MultiGauge gauge) {
    this.gauge = gauge;
  }

  /** Makes the gauge show exactly these rows (tags to value). */
  synchronized void set(Map<Tags, Double> rows) {
    if (rows.equals(current)) {
      return;
    }
    Map<Tags, Double> kept = new HashMap<>();
    boolean valueChanged = false;
    for (Map.Entry<Tags, Double> e : rows.entrySet()) {
      Double before = current.get(e.getKey());
      if (before == null || before.equals(e.getValue())) {
        kept.put(e.getKey(), e.getValue());
      } else {
        valueChanged = true;
      }
    }
    if (valueChanged) {
      // without overwriting, a row keeps the value it was registered with: drop the changed ones
      // first, then add them back with their new values
      gauge.register(rowsOf(kept), false);
    }
    gauge.register(rowsOf(rows), false);
    current = Map.copyOf(rows);
    registrations++;
  }

  /** How many times the registry was touched (an unchanged set of rows does not touch it). */
  synchronized long registrations() {
    return registrations;
  }

  private static List<MultiGauge.Row<?>> rowsOf(Map<Tags, Double> rows) {
    List<MultiGauge.Row<?>> out = new ArrayList<>(rows.size());
    rows.forEach((tags, value) -> out.add(MultiGauge.Row.of(tags, value)));
    return out;
  }
}
