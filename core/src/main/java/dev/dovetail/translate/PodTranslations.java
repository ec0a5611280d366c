package dev.dovetail.translate;

import dev.dovetail.scheduling.SchedulingPod;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One {@link SchedulingPod} per pod version, shared by every {@link PodTranslator} handed this
 * object. The provisioner's snapshot, the disruption model and their pending-pod lists each
 * translated every pod on their own, so at 50,000 pods about 110,000 translations were live at
 * once; sharing makes that one per pod. A translation is immutable, so handing the same instance to
 * several consumers is safe.
 *
 * <p>Keyed by uid and tagged with the resourceVersion: a pod that changes gets a new version and a
 * fresh translation, which replaces the old one. Only pods whose translation depends on the pod
 * alone come here (see {@link PodTranslator}); a pod without a uid or resourceVersion (built in
 * memory, not read from the API) is never cached. Entries leave when their pod is deleted ({@link
 * #forget}) and, past {@code capacity}, least recently used first, which only costs a
 * re-translation.
 */
public final class PodTranslations {
  /** Room for one entry per pod of a 50,000-pod cluster twice over. */
  public static final int DEFAULT_CAPACITY = 100_000;

  private record Version(String resourceVersion, SchedulingPod pod) {}

  private final LinkedHashMap<String, Version> byUid;

  public PodTranslations() {
    this(DEFAULT_CAPACITY);
  }

  public PodTranslations(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.byUid =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Version> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Whether a pod carries what identifies its version (uid and resourceVersion). */
  static boolean versioned(Pod pod) {
    return pod.getMetadata() != null
        && pod.getMetadata().getUid() != null
        && pod.getMetadata().getResourceVersion() != null;
  }

  /**
   * The shared translation of this pod version, made with {@code translate} the first time. The
   * translation runs outside the lock; when two threads race on a new version, the first stored
   * wins and both get it.
   */
  SchedulingPod get(Pod pod, Function<Pod, SchedulingPod> translate) {
    String uid = pod.getMetadata().getUid();
    String rv = pod.getMetadata().getResourceVersion();
    synchronized (byUid) {
      Version v = byUid.get(uid);
      if (v != null && v.resourceVersion().equals(rv)) {
        return v.pod();
      }
    }
    SchedulingPod fresh = translate.apply(pod);
    synchronized (byUid) {
      Version v = byUid.get(uid);
      if (v != null && v.resourceVersion().equals(rv)) {
        return v.pod();
      }
      byUid.put(uid, new Version(rv, fresh));
    }
    return fresh;
  }

  /** Drops a deleted pod's translation. */
  public void forget(Pod pod) {
    if (pod.getMetadata() != null && pod.getMetadata().getUid() != null) {
      synchronized (byUid) {
        byUid.remove(pod.getMetadata().getUid());
      }
    }
  }

  /** How many pod versions are held. */
  public int size() {
    synchronized (byUid) {
      return byUid.size();
    }
  }
}
