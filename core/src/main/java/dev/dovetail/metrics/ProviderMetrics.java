package dev.dovetail.metrics;

import dev.dovetail.cloudprovider.ProviderMetric;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what a provider reports through {@code CloudProvider.metrics()}: each (name, labels)
 * becomes a meter the first time it is seen, reading the latest reported value. A name the core
 * already publishes, or one reported with other label keys than before, is skipped with a warning
 * (once per name) rather than failing the scrape.
 */
final class ProviderMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(ProviderMetrics.class);

  /** The latest reported value of one series; held here because meters keep weak references. */
  private static final class Latest {
    volatile double value;
    volatile long count;
  }

  private final MeterRegistry registry;
  private final Map<String, Latest> series = new ConcurrentHashMap<>();
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  private final Set<String> ownNames;

  /**
   * @param ownNames the Micrometer names the core registers itself (a provider may not reuse them)
   */
  ProviderMetrics(MeterRegistry registry, Set<String> ownNames) {
    this.registry = registry;
    this.ownNames = Set.copyOf(ownNames);
  }

  void publish(List<ProviderMetric> metrics) {
    for (ProviderMetric m : metrics) {
      String key = m.name() + new TreeMap<>(m.labels());
      Latest latest = series.get(key);
      if (latest == null) {
        latest = register(m);
        if (latest == null) {
          continue;
        }
        series.put(key, latest);
      }
      latest.value = m.value();
      latest.count = m.count();
    }
  }

  private Latest register(ProviderMetric m) {
    String base = micrometerName(m);
    if (refused.contains(m.name())) {
      return null;
    }
    if (ownNames.contains(base)) {
      refuse(m, "the core publishes this name itself");
      return null;
    }
    Latest latest = new Latest();
    Tags tags = Tags.empty();
    for (Map.Entry<String, String> e : m.labels().entrySet()) {
      tags = tags.and(Tag.of(e.getKey(), e.getValue()));
    }
    try {
      switch (m.type()) {
        case COUNTER ->
            FunctionCounter.builder(base, latest, l -> l.value)
                .description(m.help())
                .tags(tags)
                .register(registry);
        case GAUGE ->
            Gauge.builder(base, latest, l -> l.value)
                .description(m.help())
                .tags(tags)
                .strongReference(true)
                .register(registry);
        case SUMMARY ->
            FunctionTimer.builder(base, latest, l -> l.count, l -> l.value, TimeUnit.SECONDS)
                .description(m.help())
                .tags(tags)
                .register(registry);
      }
    } catch (IllegalArgumentException e) {
      // e.g. Prometheus refuses the same name with other label keys
      refuse(m, e.getMessage());
      return null;
    }
    return latest;
  }

  private void refuse(ProviderMetric m, String why) {
    if (refused.add(m.name())) {
      LOG.warn("provider metric {} not published: {}", m.name(), why);
    }
  }

  /** Micrometer adds {@code _total} to counters and {@code _seconds} to timers on the way out. */
  static String micrometerName(ProviderMetric m) {
    String n = m.name();
    return switch (m.type()) {
      case COUNTER -> n.substring(0, n.length() - "_total".length());
      case SUMMARY -> n.substring(0, n.length() - "_seconds".length());
      case GAUGE -> n;
    };
  }
}
