package dev.dovetail.state;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map in one array of keys and values, in the order it was given: what a cached
 * object's labels, annotations and resource lists become ({@link SharedValues}). A {@code
 * LinkedHashMap} of n entries is ~56 + 40n bytes plus its table; this is ~32 + 8n. At 50,000 pods
 * and ~17,000 nodes the controllers' heap held 1.5 million {@code LinkedHashMap} entries in 295,000
 * maps, 108 MB with their tables; with the cached ones compact, 65 MB less was live
 * (BENCHMARKS.md). Lookups scan the keys: these maps hold a few to ~30 entries, and their keys and
 * the code's are mostly the same canonical strings, so most comparisons are one identity check. The
 * order is kept so that whatever iterates a label map sees it as the server sent it, run after run.
 */
final class CompactMap<K, V> extends AbstractMap<K, V> {
  private final Object[] keysAndValues;

  private CompactMap(Object[] keysAndValues) {
    this.keysAndValues = keysAndValues;
  }

  /**
   * The entries of {@code map} in its order, or {@code map} itself if it has a null key or value
   * (which this map does not hold).
   */
  static <K, V> Map<K, V> of(Map<K, V> map) {
    Object[] kv = new Object[map.size() * 2];
    int i = 0;
    for (Map.Entry<K, V> e : map.entrySet()) {
      if (e.getKey() == null || e.getValue() == null || i == kv.length) {
        return map;
      }
      kv[i++] = e.getKey();
      kv[i++] = e.getValue();
    }
    return i == kv.length ? new CompactMap<>(kv) : map;
  }

  @Override
  public int size() {
    return keysAndValues.length / 2;
  }

  @Override
  public boolean isEmpty() {
    return keysAndValues.length == 0;
  }

  private int indexOf(Object key) {
    if (key == null) {
      return -1;
    }
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i] == key) {
        return i;
      }
    }
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (keysAndValues[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : (V) keysAndValues[i + 1];
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  /** The keys (from 0) or the values (from 1), or the entries (from -1), in order. */
  private final class Slots<T> implements Iterator<T> {
    private final int offset;
    private int next;

    Slots(int offset) {
      this.offset = offset;
    }

    @Override
    public boolean hasNext() {
      return next < keysAndValues.length;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
      if (next >= keysAndValues.length) {
        throw new NoSuchElementException();
      }
      Object out =
          offset < 0
              ? new SimpleImmutableEntry<>(keysAndValues[next], keysAndValues[next + 1])
              : keysAndValues[next + offset];
      next += 2;
      return (T) out;
    }
  }

  @Override
  public Set<Entry<K, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<K, V>> iterator() {
        return new Slots<>(-1);
      }

      @Override
      public int size() {
        return CompactMap.this.size();
      }
    };
  }

  // Views made per call: AbstractMap keeps the first it makes, a field per map for ever (as
  // LinkedHashMap's values() view was, 184,000 of them at 50,000 pods).
  @Override
  public Set<K> keySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<K> iterator() {
        return new Slots<>(0);
      }

      @Override
      public int size() {
        return CompactMap.this.size();
      }

      @Override
      public boolean contains(Object o) {
        return containsKey(o);
      }
    };
  }

  @Override
  public Collection<V> values() {
    return new AbstractCollection<>() {
      @Override
      public Iterator<V> iterator() {
        return new Slots<>(1);
      }

      @Override
      public int size() {
        return CompactMap.this.size();
      }
    };
  }

  @Override
  @SuppressWarnings("unchecked")
  public void forEach(java.util.function.BiConsumer<? super K, ? super V> action) {
    for (int i = 0; i < keysAndValues.length; i += 2) {
      action.accept((K) keysAndValues[i], (V) keysAndValues[i + 1]);
    }
  }
}
