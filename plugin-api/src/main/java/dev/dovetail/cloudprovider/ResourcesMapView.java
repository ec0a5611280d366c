package dev.dovetail.cloudprovider;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The read-only {@link Map} view {@link Resources#asMap()} returns over its name and amount arrays,
 * iterating in name order as the sorted map it replaced did. Built on demand so that a {@code
 * Resources} itself holds no map.
 */
final class ResourcesMapView extends AbstractMap<String, Long> {
  private final Resources resources;

  ResourcesMapView(Resources resources) {
    this.resources = resources;
  }

  @Override
  public int size() {
    return resources.size();
  }

  @Override
  public boolean containsKey(Object key) {
    return key instanceof String s && resources.has(s);
  }

  @Override
  public Long get(Object key) {
    return key instanceof String s && resources.has(s) ? resources.get(s) : null;
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Long> action) {
    for (int i = 0; i < resources.size(); i++) {
      action.accept(resources.nameAt(i), resources.amountAt(i));
    }
  }

  @Override
  public Set<Entry<String, Long>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return resources.size();
      }

      @Override
      public Iterator<Entry<String, Long>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < resources.size();
          }

          @Override
          public Entry<String, Long> next() {
            if (next >= resources.size()) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new SimpleImmutableEntry<>(resources.nameAt(i), resources.amountAt(i));
          }
        };
      }
    };
  }
}
