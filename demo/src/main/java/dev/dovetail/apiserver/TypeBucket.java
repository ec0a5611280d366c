package dev.dovetail.apiserver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The objects of one resource, sorted by {@code namespace/name} (so a namespace is a key range and
 * a {@code continue} token is the last key served), with a label index ({@code key=value} to keys)
 * and a {@code spec.nodeName} index. Written under the store's lock, read without one.
 */
final class TypeBucket {
  // Each object sits in a slot found both by key (a hash probe for a get or a write's lookup, not
  // ~17 string comparisons down a skip list) and in key order (lists and pages). A write to an
  // existing object only replaces its slot's content: neither map changes under the store's lock
  // (re-linking the skip list was the largest part of a write's time under the lock); a create or
  // a delete changes both.
  private final Map<String, Slot> byKey = new ConcurrentHashMap<>();
  private final ConcurrentSkipListMap<String, Slot> ordered = new ConcurrentSkipListMap<>();
  private final Map<String, Set<String>> byLabel = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> byNodeName = new ConcurrentHashMap<>();

  /** The current version of one object (replaced under the store's lock, read without it). */
  private static final class Slot {
    volatile StoredObject current;

    Slot(StoredObject current) {
      this.current = current;
    }
  }

  StoredObject get(String key) {
    Slot slot = byKey.get(key);
    return slot == null ? null : slot.current;
  }

  /** O(1), unlike the skip list's size. */
  int size() {
    return byKey.size();
  }

  void put(StoredObject next) {
    String key = next.key();
    Slot slot = byKey.get(key);
    if (slot == null) {
      slot = new Slot(next);
      byKey.put(key, slot);
      ordered.put(key, slot);
      index(next);
      return;
    }
    StoredObject previous = slot.current;
    slot.current = next;
    if (!previous.labels().equals(next.labels())
        || !java.util.Objects.equals(previous.nodeName(), next.nodeName())) {
      // most writes (status, annotations) change neither: the indexes stay as they are
      unindex(previous);
      index(next);
    }
  }

  void remove(StoredObject gone) {
    Slot slot = byKey.remove(gone.key());
    if (slot != null) {
      ordered.remove(gone.key());
      unindex(slot.current);
    }
  }

  private void index(StoredObject o) {
    for (Map.Entry<String, String> l : o.labels().entrySet()) {
      byLabel
          .computeIfAbsent(l.getKey() + "=" + l.getValue(), k -> ConcurrentHashMap.newKeySet())
          .add(o.key());
    }
    if (o.nodeName() != null) {
      byNodeName.computeIfAbsent(o.nodeName(), k -> ConcurrentHashMap.newKeySet()).add(o.key());
    }
  }

  private void unindex(StoredObject o) {
    for (Map.Entry<String, String> l : o.labels().entrySet()) {
      Set<String> keys = byLabel.get(l.getKey() + "=" + l.getValue());
      if (keys != null) {
        keys.remove(o.key());
        if (keys.isEmpty()) {
          byLabel.remove(l.getKey() + "=" + l.getValue());
        }
      }
    }
    if (o.nodeName() != null) {
      Set<String> keys = byNodeName.get(o.nodeName());
      if (keys != null) {
        keys.remove(o.key());
        if (keys.isEmpty()) {
          byNodeName.remove(o.nodeName());
        }
      }
    }
  }

  /**
   * The objects of {@code namespace} (all when null) matching both selectors, in key order,
   * strictly after {@code afterKey} when given, at most {@code limit} (0: all) plus one more to
   * tell whether there is a next page. An equality on a label or on {@code spec.nodeName} is
   * answered from an index; other terms are checked on the candidates.
   */
  List<StoredObject> select(
      String namespace, LabelSelector labels, FieldSelector fields, String afterKey, int limit) {
    NavigableMap<String, Slot> range = ordered;
    if (namespace != null && !namespace.isEmpty()) {
      range = range.subMap(namespace + "/", true, namespace + "/\uffff", false);
    }
    if (afterKey != null) {
      range = range.tailMap(afterKey, false);
    }
    Collection<String> candidates = candidates(labels, fields);
    boolean everything = candidates == null && limit <= 0 && range == ordered;
    List<StoredObject> out = new ArrayList<>(everything ? byKey.size() + 16 : 16);
    int max = limit > 0 ? limit + 1 : Integer.MAX_VALUE;
    Iterable<Slot> inOrder = range.values();
    if (candidates != null) {
      List<String> matching = new ArrayList<>();
      for (String k : candidates) {
        if (range.containsKey(k)) {
          matching.add(k);
        }
      }
      matching.sort(null);
      List<Slot> slots = new ArrayList<>(matching.size());
      for (String k : matching) {
        Slot slot = byKey.get(k);
        if (slot != null) { // null: deleted since
          slots.add(slot);
        }
      }
      inOrder = slots;
    }
    for (Slot slot : inOrder) {
      StoredObject o = slot.current;
      if (o.matches(labels, fields)) {
        out.add(o);
        if (out.size() >= max) {
          break;
        }
      }
    }
    return out;
  }

  private Collection<String> candidates(LabelSelector labels, FieldSelector fields) {
    var nodeName = fields.equalityOn("spec.nodeName").filter(v -> !v.isEmpty());
    if (nodeName.isPresent()) {
      return byNodeName.getOrDefault(nodeName.get(), Set.of());
    }
    var label = labels.indexable();
    if (label.isPresent()) {
      LabelSelector.Requirement r = label.get();
      return byLabel.getOrDefault(r.key() + "=" + r.values().iterator().next(), Set.of());
    }
    return null;
  }
}
