package dev.dovetail.clusterapi.capi;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads and writes nested fields of a generic resource ({@code spec.template.spec.version}). */
public final class Fields {
  private Fields() {}

  /** The value at the dotted path, or null when any step is missing. */
  public static Object get(GenericKubernetesResource obj, String path) {
    Object cur = obj.getAdditionalProperties();
    for (String step : path.split("\\.")) {
      if (!(cur instanceof Map<?, ?> m)) {
        return null;
      }
      cur = m.get(step);
    }
    return cur;
  }

  public static String string(GenericKubernetesResource obj, String path) {
    Object v = get(obj, path);
    return v == null ? null : v.toString();
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(GenericKubernetesResource obj, String path) {
    Object v = get(obj, path);
    return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** Sets the value at the dotted path, creating intermediate maps. */
  @SuppressWarnings("unchecked")
  public static void set(GenericKubernetesResource obj, String path, Object value) {
    String[] steps = path.split("\\.");
    Map<String, Object> cur = obj.getAdditionalProperties();
    for (int i = 0; i < steps.length - 1; i++) {
      Object next = cur.get(steps[i]);
      if (!(next instanceof Map<?, ?>)) {
        next = new LinkedHashMap<String, Object>();
        cur.put(steps[i], next);
      }
      cur = (Map<String, Object>) next;
    }
    cur.put(steps[steps.length - 1], value);
  }

  public static Map<String, String> labels(GenericKubernetesResource obj) {
    Map<String, String> l = obj.getMetadata().getLabels();
    return l == null ? Map.of() : l;
  }

  public static Map<String, String> annotations(GenericKubernetesResource obj) {
    Map<String, String> a = obj.getMetadata().getAnnotations();
    return a == null ? Map.of() : a;
  }

  /** Sets (value non-null) or removes an annotation on the object in hand. */
  public static void annotate(GenericKubernetesResource obj, String key, String value) {
    Map<String, String> a = obj.getMetadata().getAnnotations();
    a = a == null ? new LinkedHashMap<>() : new LinkedHashMap<>(a);
    if (value == null) {
      a.remove(key);
    } else {
      a.put(key, value);
    }
    obj.getMetadata().setAnnotations(a);
  }

  public static void label(GenericKubernetesResource obj, String key, String value) {
    Map<String, String> l = obj.getMetadata().getLabels();
    l = l == null ? new LinkedHashMap<>() : new LinkedHashMap<>(l);
    l.put(key, value);
    obj.getMetadata().setLabels(l);
  }
}
