package dev.dovetail.clusterapi.capi;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Changes {@code spec.replicas} of any object with a scale-like spec (a CAPI MachineDeployment,
 * MachineSet or MachinePool; a Deployment) under optimistic concurrency: read, decide, replace with
 * the resourceVersion read, and on 409 read again and decide again. Replicas never leave the
 * cluster-autoscaler bounds annotated on the object ({@link Bounds}).
 *
 * <p>Reusable on its own (ScalableNodeGroup scales MachineDeployments with it): {@link #scaleBy}
 * for a plain change, {@link #modify} when other fields must change in the same write.
 */
public final class ReplicaScaler {
  /** How many times a write is retried on conflict before giving up. */
  static final int MAX_ATTEMPTS = 16;

  private final KubernetesClient client;

  public ReplicaScaler(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Size bounds of a node group, from cluster-autoscaler's annotations. A missing or unparsable
   * annotation means unbounded on that side (min 0).
   */
  public record Bounds(int min, int max) {
    public static final Bounds NONE = new Bounds(0, Integer.MAX_VALUE);

    public static Bounds of(Map<String, String> annotations) {
      return new Bounds(
          parse(annotations.get(Capi.MIN_SIZE_ANNOTATION), 0),
          parse(annotations.get(Capi.MAX_SIZE_ANNOTATION), Integer.MAX_VALUE));
    }

    private static int parse(String v, int dflt) {
      if (v == null) {
        return dflt;
      }
      try {
        int n = Integer.parseInt(v.trim());
        return n < 0 ? dflt : n;
      } catch (NumberFormatException e) {
        return dflt;
      }
    }

    public boolean allows(int replicas) {
      return replicas >= min && replicas <= max;
    }
  }

  /** What a {@link #modify} decision returns: write the changed object, or leave it. */
  public record Outcome<T>(boolean write, T result) {
    public static <T> Outcome<T> write(T result) {
      return new Outcome<>(true, result);
    }

    public static <T> Outcome<T> keep(T result) {
      return new Outcome<>(false, result);
    }
  }

  /** A change would take replicas outside the bounds; nothing was written. */
  public static final class OutOfBoundsException extends RuntimeException {
    private final int replicas;
    private final Bounds bounds;

    public OutOfBoundsException(String object, int wanted, int replicas, Bounds bounds) {
      super(
          object
              + ": "
              + wanted
              + " replicas is outside [min "
              + bounds.min()
              + ", max "
              + (bounds.max() == Integer.MAX_VALUE ? "none" : bounds.max())
              + "] (now "
              + replicas
              + ")");
      this.replicas = replicas;
      this.bounds = bounds;
    }

    public int replicas() {
      return replicas;
    }

    public Bounds bounds() {
      return bounds;
    }
  }

  public static int replicas(GenericKubernetesResource obj) {
    Object r = Fields.get(obj, "spec.replicas");
    return r instanceof Number n ? n.intValue() : 0;
  }

  public static void setReplicas(GenericKubernetesResource obj, int replicas) {
    Fields.set(obj, "spec.replicas", replicas);
  }

  public static Bounds bounds(GenericKubernetesResource obj) {
    return Bounds.of(Fields.annotations(obj));
  }

  /**
   * Adds {@code delta} (negative to shrink) to the replicas, within the bounds.
   *
   * @return the replicas written
   * @throws OutOfBoundsException when the result would leave the bounds
   */
  public int scaleBy(ResourceDefinitionContext type, String namespace, String name, int delta) {
    return modify(
        type,
        namespace,
        name,
        obj -> {
          int now = replicas(obj);
          int wanted = now + delta;
          Bounds b = bounds(obj);
          if (!b.allows(wanted) && delta != 0) {
            throw new OutOfBoundsException(namespace + "/" + name, wanted, now, b);
          }
          setReplicas(obj, wanted);
          return Outcome.write(wanted);
        });
  }

  /**
   * Reads the object, lets {@code decide} change it in hand, and replaces it guarded by the
   * resourceVersion read; on conflict, repeats from the read. {@code decide} may run several times
   * and must depend only on the object it is given.
   *
   * @throws KubernetesClientException 404 when the object does not exist; 409 after {@link
   *     #MAX_ATTEMPTS} conflicts in a row
   */
  public <T> T modify(
      ResourceDefinitionContext type,
      String namespace,
      String name,
      Function<GenericKubernetesResource, Outcome<T>> decide) {
    var op = client.genericKubernetesResources(type).inNamespace(namespace).withName(name);
    KubernetesClientException last = null;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      GenericKubernetesResource obj = op.get();
      if (obj == null) {
        throw new KubernetesClientException(
            type.getKind() + " " + namespace + "/" + name + " not found", 404, null);
      }
      Outcome<T> outcome = decide.apply(obj);
      if (!outcome.write()) {
        return outcome.result();
      }
      try {
        client.genericKubernetesResources(type).inNamespace(namespace).resource(obj).update();
        return outcome.result();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        last = e;
        backOff(attempt);
      }
    }
    throw last;
  }

  private static void backOff(int attempt) {
    long ms = Math.min(200, 5L << Math.min(attempt, 5));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, ms + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying a conflicting update", e);
    }
  }
}
