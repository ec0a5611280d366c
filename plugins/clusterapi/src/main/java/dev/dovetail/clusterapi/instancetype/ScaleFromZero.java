package dev.dovetail.clusterapi.instancetype;

import dev.dovetail.cloudprovider.Quantities;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.clusterapi.capi.Capi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The scale-from-zero annotations of cluster-autoscaler's clusterapi provider, read as that
 * provider reads them: capacity ({@code cpu}, {@code memory}, {@code ephemeral-disk}, {@code
 * maxPods}, {@code gpu-type} × {@code gpu-count}) overriding the infrastructure template's {@code
 * status.capacity}, labels {@code k=v,k2=v2} and taints {@code k=v:Effect,k2:Effect}.
 */
public final class ScaleFromZero {
  private ScaleFromZero() {}

  private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  /**
   * Capacity from the infrastructure template's {@code status.capacity} overlaid with the
   * annotations (annotations win, as in cluster-autoscaler).
   *
   * @throws IllegalArgumentException naming the annotation or field whose quantity is invalid
   */
  public static Resources capacity(
      Map<String, String> annotations, Map<String, Object> templateCapacity) {
    Map<String, Long> out = new TreeMap<>();
    templateCapacity.forEach(
        (k, v) ->
            out.put(
                k, quantity(k, String.valueOf(v), "infrastructure template status.capacity." + k)));
    put(out, Resources.CPU, annotations, Capi.CPU_ANNOTATION);
    put(out, Resources.MEMORY, annotations, Capi.MEMORY_ANNOTATION);
    put(out, Resources.EPHEMERAL_STORAGE, annotations, Capi.EPHEMERAL_DISK_ANNOTATION);
    put(out, Resources.PODS, annotations, Capi.MAX_PODS_ANNOTATION);
    String gpuCount = annotations.get(Capi.GPU_COUNT_ANNOTATION);
    if (gpuCount != null) {
      String type = annotations.getOrDefault(Capi.GPU_TYPE_ANNOTATION, Resources.NVIDIA_GPU);
      out.put(type.trim(), quantity(type.trim(), gpuCount, Capi.GPU_COUNT_ANNOTATION));
    }
    return Resources.of(out);
  }

  private static void put(
      Map<String, Long> out, String resource, Map<String, String> annotations, String key) {
    String v = annotations.get(key);
    if (v != null) {
      out.put(resource, quantity(resource, v, key));
    }
  }

  private static long quantity(String resource, String value, String where) {
    try {
      long n = Quantities.toCanonical(resource, value.trim());
      if (n < 0) {
        throw new IllegalArgumentException("negative");
      }
      return n;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(where + ": invalid quantity '" + value + "'", e);
    }
  }

  /** Labels of {@code k=v,k2=v2}; entries without {@code =} are ignored. */
  public static Map<String, String> labels(String annotation) {
    Map<String, String> out = new LinkedHashMap<>();
    if (annotation == null) {
      return out;
    }
    for (String part : annotation.split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    return out;
  }

  /**
   * Taints of {@code key=value:Effect,key2:Effect}.
   *
   * @throws IllegalArgumentException naming the taints annotation when an entry is malformed
   */
  public static List<Taint> taints(String annotation) {
    List<Taint> out = new ArrayList<>();
    if (annotation == null || annotation.isBlank()) {
      return out;
    }
    for (String part : annotation.split(",")) {
      String p = part.trim();
      int colon = p.lastIndexOf(':');
      if (colon <= 0 || !EFFECTS.contains(p.substring(colon + 1))) {
        throw new IllegalArgumentException(
            Capi.TAINTS_ANNOTATION + ": '" + p + "' is not key[=value]:Effect");
      }
      String kv = p.substring(0, colon);
      int eq = kv.indexOf('=');
      out.add(
          eq < 0
              ? new Taint(kv, "", p.substring(colon + 1))
              : new Taint(kv.substring(0, eq), kv.substring(eq + 1), p.substring(colon + 1)));
    }
    return out;
  }

  /** The hourly price annotated on the resource, if any and valid. */
  public static Optional<Double> price(Map<String, String> annotations) {
    for (String key : List.of(Capi.PRICE_ANNOTATION, Capi.CURRENT_PRICE_ANNOTATION)) {
      String v = annotations.get(key);
      if (v != null) {
        try {
          double p = Double.parseDouble(v.trim());
          if (p > 0 && !Double.isInfinite(p)) {
            return Optional.of(p);
          }
        } catch (NumberFormatException ignored) {
          // an unreadable price falls back to the next source, like a missing one
        }
      }
    }
    return Optional.empty();
  }
}
