package dev.dovetail.state;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.stream.Stream;

/**
 * An informer's store that drops {@code metadata.managedFields} from each object as it is cached,
 * as kube-controller-manager, kube-scheduler and controller-runtime's {@code
 * TransformStripManagedFields} do: no controller here reads them, and server-side apply's field
 * sets are a tree of maps per manager. At 10,000 pods on the embedded API server the controllers'
 * live heap held 7,928 {@code ManagedFieldsEntry} (Nodes and NodeClaims written by apply) whose
 * {@code FieldsV1} trees were most of its 603,656 {@code LinkedHashMap}s. The object is changed in
 * place, before the informer's handlers see it: they get the cached object, as before.
 *
 * <p>Used by the cluster state's informers and the NodeClaim lifecycle reconciler's own cache.
 *
 * <p>Writes are unaffected: an update without managedFields keeps the server's (the API's rule),
 * and patches are computed between two objects that both lack them.
 */
public final class WithoutManagedFields<T extends HasMetadata> implements ItemStore<T> {
  /**
   * Keyed by {@code namespace/name} as fabric8's stores are, the key being the JVM's one copy of it
   * (as {@link ClusterState#podKey} returns): a namespaced object's key is a new string per event.
   */
  private final BasicItemStore<T> store =
      new BasicItemStore<>(obj -> Cache.metaNamespaceKeyFunc(obj).intern());

  private final SharedValues empties;
  private final SharedCopies<T> copies;

  /** Drops managedFields only. */
  public WithoutManagedFields() {
    this(null, null);
  }

  private WithoutManagedFields(SharedValues empties, SharedCopies<T> copies) {
    this.empties = empties;
    this.copies = copies;
  }

  /**
   * Drops managedFields and caches the object another cache of the kind holds at the same version
   * ({@link SharedCopies}): for another controller's cache of a kind the cluster state watches.
   */
  public static <T extends HasMetadata> WithoutManagedFields<T> sharing(SharedCopies<T> copies) {
    return new WithoutManagedFields<>(null, copies);
  }

  /**
   * Also shares the empty lists and maps of the cached objects ({@link SharedValues}): for the
   * cluster state's own informers, whose objects only this code reads.
   */
  static <T extends HasMetadata> WithoutManagedFields<T> compacting() {
    return new WithoutManagedFields<>(new SharedValues(), null);
  }

  /** {@link #compacting()}, sharing its objects with other caches of the kind. */
  static <T extends HasMetadata> WithoutManagedFields<T> compacting(SharedCopies<T> copies) {
    return new WithoutManagedFields<>(new SharedValues(), copies);
  }

  /**
   * Makes a not yet started informer cache its objects {@link #compacting() compacted}: how the
   * cluster state's informers, all of kinds with metadata, are set up; {@code copies} (or null)
   * shares them with another cache of the kind.
   */
  @SuppressWarnings({
    "unchecked",
    "rawtypes"
  }) // every informer it is given is of a HasMetadata kind
  static void compactOn(
      io.fabric8.kubernetes.client.informers.SharedIndexInformer<?> informer,
      SharedCopies<?> copies) {
    ((io.fabric8.kubernetes.client.informers.SharedIndexInformer) informer)
        .itemStore(compacting((SharedCopies) copies));
  }

  @Override
  public String getKey(T obj) {
    return store.getKey(obj);
  }

  @Override
  public T put(String key, T in) {
    // Stripping and compacting are idempotent, so an object another cache stored goes through
    // them again (that cache may not compact).
    T obj = copies == null ? in : copies.canonical(key, in);
    if (obj.getMetadata() != null && obj.getMetadata().getManagedFields() != null) {
      obj.getMetadata().setManagedFields(null);
    }
    if (empties != null) {
      // A kind of ours (NodeClaim, NodePool) has its strings made canonical and its fabric8 parts
      // (metadata, quantities, conditions) compacted.
      empties.compact(obj);
    }
    T old = store.put(key, obj);
    if (copies != null) { // the same object again is held once more and released once
      copies.released(key, old);
    }
    return old;
  }

  @Override
  public T remove(String key) {
    T old = store.remove(key);
    if (copies != null) {
      copies.released(key, old);
    }
    return old;
  }

  @Override
  public Stream<String> keySet() {
    return store.keySet();
  }

  @Override
  public Stream<T> values() {
    return store.values();
  }

  @Override
  public int size() {
    return store.size();
  }

  @Override
  public T get(String key) {
    return store.get(key);
  }
}
