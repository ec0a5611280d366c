package dev.dovetail.state;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One object per name and resourceVersion across the informer caches of one kind. The NodeClaim
 * lifecycle reconciler (java-operator-sdk) watches NodeClaims with its own informer beside the
 * cluster state's, so every claim was deserialized and held twice: at 50,000 pods under a 512 MiB
 * heap, 29,104 {@code NodeClaim} objects for ~11,600 claims (a few KiB each). Each cache still gets
 * its own watch events; a cache about to store a version another cache already holds stores that
 * object instead, and the copy it was handed becomes garbage at once.
 *
 * <p>Each object is tracked while some cache holds it (a count of holders per version), not as "the
 * latest" per name: the two watches deliver a claim's versions at their own pace, and a cache one
 * version behind used to replace the other's newer object as the latest, so both ended on copies of
 * their own (29,106 objects for ~16,500 claims in a 50,000-pod run, 2026-12-05). A version no cache
 * holds any more is dropped, so nothing is kept for a cache that never catches up.
 *
 * <p>A shared object may be compacted by the cluster state's store ({@link SharedValues}: empty
 * metadata lists and maps made immutable). java-operator-sdk hands its reconcilers a clone of the
 * cached resource, never the cached object, so nothing mutates it.
 */
public final class SharedCopies<T extends HasMetadata> {
  /** An object and how many caches hold it. */
  private record Held<T>(T obj, int holders) {}

  /** Per key, the versions some cache holds (one, or two while the caches differ). */
  private final ConcurrentHashMap<String, List<Held<T>>> held = new ConcurrentHashMap<>();

  /**
   * The object to cache under {@code key}: one a cache already holds at the same version, else
   * {@code obj}; the caller then holds it until it {@link #released releases} it.
   */
  T canonical(String key, T obj) {
    String version = version(obj);
    if (version == null) {
      return obj;
    }
    List<Held<T>> now =
        held.compute(
            key,
            (k, versions) -> {
              List<Held<T>> next =
                  versions == null ? new ArrayList<>(2) : new ArrayList<>(versions);
              for (int i = 0; i < next.size(); i++) {
                Held<T> h = next.get(i);
                if (version.equals(version(h.obj()))) {
                  next.set(i, new Held<>(h.obj(), h.holders() + 1));
                  return List.copyOf(next);
                }
              }
              next.add(new Held<>(obj, 1));
              return List.copyOf(next);
            });
    // the one held at this version: another cache's, or obj itself just added
    for (Held<T> h : now) {
      if (version.equals(version(h.obj()))) {
        return h.obj();
      }
    }
    return obj;
  }

  /**
   * A cache no longer holds {@code obj} under {@code key} (it stored a newer version, or the object
   * was deleted); an object no cache holds is forgotten. Null, or an object this never handed out,
   * is ignored.
   */
  void released(String key, T obj) {
    if (obj == null) {
      return;
    }
    held.computeIfPresent(
        key,
        (k, versions) -> {
          List<Held<T>> next = new ArrayList<>(versions.size());
          for (Held<T> h : versions) {
            if (h.obj() != obj) {
              next.add(h);
            } else if (h.holders() > 1) {
              next.add(new Held<>(h.obj(), h.holders() - 1));
            }
          }
          return next.isEmpty() ? null : List.copyOf(next);
        });
  }

  /** How many names are tracked (tests). */
  int size() {
    return held.size();
  }

  /** How many objects are tracked under {@code key} (tests). */
  int versions(String key) {
    List<Held<T>> versions = held.get(key);
    return versions == null ? 0 : versions.size();
  }

  private static String version(HasMetadata obj) {
    return obj.getMetadata() == null ? null : obj.getMetadata().getResourceVersion();
  }
}
