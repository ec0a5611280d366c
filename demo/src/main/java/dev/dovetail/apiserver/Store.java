package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The objects, their resourceVersions and the watches on them. Reads take no lock. A write computes
 * the next object outside the lock, then commits under one lock if nothing changed the object
 * meanwhile (else recomputes): the lock orders resourceVersions and hands each event, once
 * serialised, to the history and to the watches of its resource and namespace.
 */
final class Store {
  /** What a list returns: the objects, the resourceVersion it is consistent with, and more. */
  record Page(List<StoredObject> items, long resourceVersion, String nextKey) {}

  private final Map<String, TypeBucket> buckets = new ConcurrentHashMap<>();
  private final Map<String, History> histories = new ConcurrentHashMap<>();
  private final Map<String, Map<String, List<Watcher>>> watchers = new ConcurrentHashMap<>();
  private final Map<String, StoredObject> byUid = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> dependentsByOwnerUid = new ConcurrentHashMap<>();
  private final List<Consumer<WatchEvent>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong resourceVersion = new AtomicLong(1000);
  // The last resourceVersion whose object is in its bucket: set (under the lock) only after the
  // object is put or removed. A lock-free list reads it first, so every change at or below it is
  // in what the list returns and every later one reaches the watch that starts from it; reading
  // the counter itself, a list could claim a version whose object it did not yet see, and the
  // watch from there would never send it.
  private final AtomicLong visible = new AtomicLong(1000);
  private final ReentrantLock lock = new ReentrantLock();
  private final int historyPerResource;

  Store(int historyPerResource) {
    this.historyPerResource = historyPerResource;
  }

  /** Called for every committed change, under the store's lock: must only note or enqueue. */
  void addListener(Consumer<WatchEvent> listener) {
    listeners.add(listener);
  }

  long resourceVersion() {
    return visible.get();
  }

  private TypeBucket bucket(ResourceType type) {
    return buckets.computeIfAbsent(type.key(), k -> new TypeBucket());
  }

  StoredObject get(ResourceType type, String namespace, String name) {
    return bucket(type).get(StoredObject.key(type.namespaced() ? namespace : null, name));
  }

  StoredObject byUid(String uid) {
    return byUid.get(uid);
  }

  int count(ResourceType type) {
    return bucket(type).size();
  }

  Page list(
      ResourceType type,
      String namespace,
      LabelSelector labels,
      FieldSelector fields,
      int limit,
      String afterKey) {
    long rv = visible.get(); // read first: anything later reaches the watch that follows
    List<StoredObject> items = bucket(type).select(namespace, labels, fields, afterKey, limit);
    String next = null;
    if (limit > 0 && items.size() > limit) {
      items = items.subList(0, limit);
      next = items.get(limit - 1).key();
    }
    return new Page(items, rv, next);
  }

  /** Dependents (by key, {@code group/plural|key}) of the object with this uid. */
  Set<String> dependents(String ownerUid) {
    return dependentsByOwnerUid.getOrDefault(ownerUid, Set.of());
  }

  /**
   * Stores a new object (its metadata already filled in); 409 AlreadyExists if the name is taken.
   */
  StoredObject create(ResourceType type, ObjectNode object) {
    return create(type, object, false);
  }

  /** {@code dryRun}: every check of a create, nothing stored, no event; the object returned. */
  StoredObject create(ResourceType type, ObjectNode object, boolean dryRun) {
    lock.lock();
    try {
      String name = object.path("metadata").path("name").asText();
      String ns = type.namespaced() ? object.path("metadata").path("namespace").asText() : null;
      if (get(type, ns, name) != null) {
        throw new ApiException(
            409,
            "AlreadyExists",
            type.plural() + type.groupSuffix() + " \"" + name + "\" already exists");
      }
      if (dryRun) {
        return StoredObject.of(type, object, 0);
      }
      StoredObject stored = commit(type, object, null);
      publish(new WatchEvent("ADDED", stored, null));
      return stored;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Replaces an object with {@code change.apply(current)}: run outside the lock and again if the
   * object changed meanwhile. The change may throw (409, 422); returning the current tree unchanged
   * is a no-op that keeps the resourceVersion. An object marked for deletion whose last finalizer
   * goes is deleted.
   */
  StoredObject update(
      ResourceType type, String namespace, String name, Function<StoredObject, ObjectNode> change) {
    return update(type, namespace, name, change, false);
  }

  /**
   * {@code dryRun}: the object the update would store (same checks, same resourceVersion as now),
   * nothing stored, no event.
   */
  StoredObject update(
      ResourceType type,
      String namespace,
      String name,
      Function<StoredObject, ObjectNode> change,
      boolean dryRun) {
    String key = StoredObject.key(type.namespaced() ? namespace : null, name);
    TypeBucket bucket = bucket(type);
    while (true) {
      StoredObject current = bucket.get(key);
      if (current == null) {
        throw ApiException.notFound(type, name);
      }
      ObjectNode next = change.apply(current);
      next.with("metadata").put("resourceVersion", Long.toString(current.resourceVersion()));
      if (dryRun) {
        return StoredObject.of(type, next, current.resourceVersion());
      }
      byte[] json;
      try {
        json = Json.MAPPER.writeValueAsBytes(next);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      // a write that changes nothing keeps the resourceVersion (checked outside the lock)
      if (java.util.Arrays.equals(json, current.json())) {
        return current;
      }
      lock.lock();
      try {
        if (bucket.get(key) != current) {
          continue;
        }
        boolean deleting = next.path("metadata").hasNonNull("deletionTimestamp");
        if (deleting && next.path("metadata").path("finalizers").isEmpty()) {
          return remove(type, current, next);
        }
        StoredObject stored =
            commit(type, next, current, ResourceVersions.replace(json, current.resourceVersion()));
        publish(new WatchEvent("MODIFIED", stored, current));
        return stored;
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Deletes an object: one with finalizers is only marked ({@code deletionTimestamp}); the others
   * go at once. {@code expectedRv}/{@code expectedUid}: DeleteOptions preconditions (null: none).
   */
  StoredObject delete(
      ResourceType type, String namespace, String name, String expectedRv, String expectedUid) {
    return delete(type, namespace, name, expectedRv, expectedUid, false);
  }

  /** {@code dryRun}: the object as the delete would leave it (or as it was), nothing changed. */
  StoredObject delete(
      ResourceType type,
      String namespace,
      String name,
      String expectedRv,
      String expectedUid,
      boolean dryRun) {
    String key = StoredObject.key(type.namespaced() ? namespace : null, name);
    lock.lock();
    try {
      StoredObject current = bucket(type).get(key);
      if (current == null) {
        throw ApiException.notFound(type, name);
      }
      if (expectedRv != null && !expectedRv.equals(Long.toString(current.resourceVersion()))) {
        throw ApiException.conflict(
            type,
            name,
            "the object has been modified; please apply your changes to the latest version and try again");
      }
      requireUid(type, current, expectedUid);
      if (current.hasFinalizers()) {
        if (current.deleting()) {
          return current;
        }
        ObjectNode marked = current.tree();
        ObjectNode meta = marked.with("metadata");
        meta.put("deletionTimestamp", Timestamps.now());
        meta.put("deletionGracePeriodSeconds", 0);
        if (type.statusSubresource() || meta.has("generation")) {
          meta.put("generation", meta.path("generation").asLong(0) + 1);
        }
        if (dryRun) {
          return StoredObject.of(type, marked, current.resourceVersion());
        }
        StoredObject stored = commit(type, marked, current);
        publish(new WatchEvent("MODIFIED", stored, current));
        return stored;
      }
      if (dryRun) {
        return current;
      }
      return remove(type, current, current.tree());
    } finally {
      lock.unlock();
    }
  }

  private StoredObject remove(ResourceType type, StoredObject current, ObjectNode last) {
    long rv = resourceVersion.incrementAndGet();
    last.with("metadata").put("resourceVersion", Long.toString(rv));
    StoredObject gone = StoredObject.of(type, last, rv);
    bucket(type).remove(current);
    unindexOwners(current);
    byUid.remove(current.uid());
    visible.set(rv);
    publish(new WatchEvent("DELETED", gone, current));
    return gone;
  }

  private StoredObject commit(ResourceType type, ObjectNode object, StoredObject previous) {
    return commit(type, object, previous, null);
  }

  /**
   * {@code serialised}: the object's bytes serialised outside the lock, with the resourceVersion
   * spliced in under it (one serialisation per write, not two); null to serialise here.
   */
  private StoredObject commit(
      ResourceType type,
      ObjectNode object,
      StoredObject previous,
      ResourceVersions.Splice serialised) {
    long rv = resourceVersion.incrementAndGet();
    object.with("metadata").put("resourceVersion", Long.toString(rv));
    byte[] json = serialised == null ? null : serialised.with(rv);
    StoredObject stored =
        json == null ? StoredObject.of(type, object, rv) : StoredObject.of(type, object, rv, json);
    bucket(type).put(stored);
    // the owner index changes only when the owners do (not on most writes)
    if (previous == null || !previous.ownerUids().equals(stored.ownerUids())) {
      if (previous != null) {
        unindexOwners(previous);
      }
      String ref = type.key() + "|" + stored.key();
      for (String owner : stored.ownerUids()) {
        dependentsByOwnerUid.computeIfAbsent(owner, k -> ConcurrentHashMap.newKeySet()).add(ref);
      }
    }
    if (!stored.uid().isEmpty()) {
      byUid.put(stored.uid(), stored);
    }
    visible.set(rv);
    return stored;
  }

  private void unindexOwners(StoredObject o) {
    String ref = o.type().key() + "|" + o.key();
    for (String owner : o.ownerUids()) {
      Set<String> refs = dependentsByOwnerUid.get(owner);
      if (refs != null) {
        refs.remove(ref);
        if (refs.isEmpty()) {
          dependentsByOwnerUid.remove(owner);
        }
      }
    }
  }

  private void publish(WatchEvent event) {
    ResourceType type = event.object().type();
    histories.computeIfAbsent(type.key(), k -> new History(historyPerResource)).add(event);
    Map<String, List<Watcher>> byNs = watchers.get(type.key());
    if (byNs != null) {
      deliver(byNs.get(""), event);
      if (!event.object().namespace().isEmpty()) {
        deliver(byNs.get(event.object().namespace()), event);
      }
    }
    for (Consumer<WatchEvent> l : listeners) {
      l.accept(event);
    }
  }

  private static void deliver(List<Watcher> list, WatchEvent event) {
    if (list == null) {
      return;
    }
    for (Watcher w : list) {
      w.deliver(event);
    }
  }

  /**
   * Starts a watch: from {@code fromRv} (events after it, replayed from the history; 410 Gone if
   * the history no longer reaches back that far), or, when null, with an ADDED event for each
   * object that matches now. Replay and registration happen under the lock: nothing is missed.
   */
  void watch(Watcher watcher, Long fromRv, LabelSelector labels, FieldSelector fields) {
    ResourceType type = watcher.type();
    lock.lock();
    try {
      if (fromRv == null) {
        for (StoredObject o : bucket(type).select(watcher.namespace(), labels, fields, null, 0)) {
          watcher.deliver(new WatchEvent("ADDED", o, null));
        }
      } else {
        History history = histories.get(type.key());
        if (history != null) {
          List<WatchEvent> replay = history.since(fromRv);
          if (replay == null) {
            watcher.gone(fromRv);
            return;
          }
          for (WatchEvent e : replay) {
            String ns = watcher.namespace();
            if (ns == null || ns.equals(e.object().namespace())) {
              watcher.deliver(e);
            }
          }
        }
      }
      watchers
          .computeIfAbsent(type.key(), k -> new ConcurrentHashMap<>())
          .computeIfAbsent(
              watcher.namespace() == null ? "" : watcher.namespace(),
              k -> new CopyOnWriteArrayList<>())
          .add(watcher);
    } finally {
      lock.unlock();
    }
  }

  void unwatch(Watcher watcher) {
    Map<String, List<Watcher>> byNs = watchers.get(watcher.type().key());
    if (byNs != null) {
      List<Watcher> list = byNs.get(watcher.namespace() == null ? "" : watcher.namespace());
      if (list != null) {
        list.remove(watcher);
      }
    }
  }

  /** Sends a bookmark at the current resourceVersion to every watch that asked for them. */
  void bookmarkAll() {
    lock.lock();
    try {
      long rv = visible.get();
      for (Map<String, List<Watcher>> byNs : watchers.values()) {
        for (List<Watcher> list : byNs.values()) {
          for (Watcher w : list) {
            if (w.wantsBookmarks()) {
              w.bookmark(rv);
            }
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** All open watches (for faults that drop them). */
  List<Watcher> openWatches() {
    List<Watcher> out = new ArrayList<>();
    watchers.values().forEach(byNs -> byNs.values().forEach(out::addAll));
    return out;
  }

  /** The last events of one resource, enough to resume a watch that was briefly away. */
  /**
   * A delete's (or an eviction's) uid precondition: 409 when the object of that name is another.
   */
  static void requireUid(ResourceType type, StoredObject current, String expectedUid) {
    if (expectedUid != null && !expectedUid.equals(current.uid())) {
      throw ApiException.conflict(
          type,
          current.name(),
          "Precondition failed: UID in precondition: "
              + expectedUid
              + ", UID in object meta: "
              + current.uid());
    }
  }

  private static final class History {
    private final ArrayDeque<WatchEvent> events = new ArrayDeque<>();
    private final int capacity;
    private long droppedThrough = -1;

    History(int capacity) {
      this.capacity = capacity;
    }

    void add(WatchEvent e) {
      events.addLast(e);
      if (events.size() > capacity) {
        droppedThrough = events.removeFirst().resourceVersion();
      }
    }

    /** Events after {@code rv}, or null if some of them are no longer kept. */
    List<WatchEvent> since(long rv) {
      if (rv < droppedThrough) {
        return null;
      }
      List<WatchEvent> out = new ArrayList<>();
      for (var it = events.descendingIterator(); it.hasNext(); ) {
        WatchEvent e = it.next();
        if (e.resourceVersion() <= rv) {
          break;
        }
        out.add(e);
      }
      java.util.Collections.reverse(out);
      return out;
    }
  }
}
