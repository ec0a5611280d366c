package dev.dovetail.state;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One object per name and resourceVersion across the informer caches of one kind. The NodeClaim
 * lifecycle reconciler (java-operator-sdk) watches NodeClaims with its own informer beside the
 * cluster state's, so every claim was deserialized and held twice: at 50,000 pods under a 512 MiB
 * heap, 29,104 {@code NodeClaim} objects for ~11,600 claims (a few KiB each). Each cache still gets
 * its own watch events; a cache about to store a version another cache already holds stores that
 * object instead, and the copy it was handed becomes garbage at once.
 *
 * <p>A shared object may be compacted by the cluster state's store ({@link SharedValues}: empty
 * metadata lists and maps made immutable). java-operator-sdk hands its reconcilers a clone of the
 * cached resource, never the cached object, so nothing mutates it.
 */
public final class SharedCopies<T extends HasMetadata> {
  private final ConcurrentHashMap<String, T> latest = new ConcurrentHashMap<>();

  /** The object to cache under {@code key}: one already cached at the same version, else obj. */
  T canonical(String key, T obj) {
    String version = obj.getMetadata() == null ? null : obj.getMetadata().getResourceVersion();
    if (version == null) {
      return obj;
    }
    return latest.compute(
        key,
        (k, held) ->
            held != null && version.equals(held.getMetadata().getResourceVersion()) ? held : obj);
  }

  /** A cache dropped {@code key} (deleted): the others follow with their own watch events. */
  void removed(String key) {
    latest.remove(key);
  }

  /** How many names are tracked (tests). */
  int size() {
    return latest.size();
  }
}
