package dev.dovetail.aws.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** A map whose entries expire after a fixed time, read against an injectable clock. */
public final class TtlCache<K, V> {
  private record Entry<V>(V value, Instant expires) {}

  private final Clock clock;
  private final Duration ttl;
  private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();

  public TtlCache(Clock clock, Duration ttl) {
    this.clock = clock;
    this.ttl = ttl;
  }

  public V get(K key) {
    Entry<V> e = entries.get(key);
    if (e == null) {
      return null;
    }
    if (!clock.instant().isBefore(e.expires())) {
      entries.remove(key, e);
      return null;
    }
    return e.value();
  }

  /** The cached value, or the loader's (cached) when absent or expired. */
  public V computeIfAbsent(K key, Function<K, V> loader) {
    V v = get(key);
    if (v != null) {
      return v;
    }
    V loaded = loader.apply(key);
    if (loaded != null) {
      put(key, loaded);
    }
    return loaded;
  }

  public void put(K key, V value) {
    entries.put(key, new Entry<>(value, clock.instant().plus(ttl)));
  }

  public void invalidate(K key) {
    entries.remove(key);
  }

  public void clear() {
    entries.clear();
  }

  /** Live keys (expired ones dropped). */
  public java.util.Set<K> keys() {
    entries.keySet().removeIf(k -> get(k) == null);
    return java.util.Set.copyOf(entries.keySet());
  }
}
