package dev.dovetail.apiserver;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Background cascading deletion: when an object is deleted, its dependents (objects whose {@code
 * ownerReferences} name its uid) are deleted once none of their owners exists any more, as the
 * kube-controller-manager's garbage collector does with the default (Background) propagation.
 */
final class GarbageCollector {
  private final Store store;
  private final ResourceTypes types;
  private final BlockingQueue<String> deletedOwners = new LinkedBlockingQueue<>();

  GarbageCollector(Store store, ResourceTypes types) {
    this.store = store;
    this.types = types;
    store.addListener(
        e -> {
          if ("DELETED".equals(e.type()) && !e.object().uid().isEmpty()) {
            deletedOwners.add(e.object().uid());
          }
        });
  }

  /** Collects the dependents of owners deleted so far; returns false when there was nothing. */
  boolean collect() {
    String owner = deletedOwners.poll();
    if (owner == null) {
      return false;
    }
    for (String ref : List.copyOf(store.dependents(owner))) {
      int bar = ref.indexOf('|');
      String typeKey = ref.substring(0, bar);
      String key = ref.substring(bar + 1);
      ResourceType type =
          types.all().stream().filter(t -> t.key().equals(typeKey)).findFirst().orElse(null);
      if (type == null) {
        continue;
      }
      int slash = key.indexOf('/');
      String ns = type.namespaced() ? key.substring(0, slash) : null;
      String name = type.namespaced() ? key.substring(slash + 1) : key;
      StoredObject dependent = store.get(type, ns, name);
      if (dependent == null
          || dependent.ownerUids().stream().anyMatch(uid -> store.byUid(uid) != null)) {
        continue;
      }
      try {
        store.delete(type, ns, name, null, null);
      } catch (ApiException alreadyGone) {
        // deleted meanwhile
      }
    }
    return true;
  }

  /** Blocks until an owner was deleted, then collects (for the collector's own thread). */
  void collectNext() throws InterruptedException {
    String owner = deletedOwners.take();
    deletedOwners.add(owner);
    while (collect()) {
      // drain
    }
  }
}
