package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OpenAPI v3 schemas of the built-in kinds kubectl explains and describes (pods, nodes, events,
 * namespaces, services, PVs, PVCs), derived from fabric8's model classes: the fields and their
 * types as the API server's own document has them (strings, integers, int-or-string quantities,
 * maps, arrays, nested objects), without upstream's descriptions (fabric8's model does not carry
 * them). Other built-in kinds keep an open schema.
 */
final class BuiltInSchemas {
  private static final Map<String, Class<?>> CLASSES =
      Map.of(
          "/v1/pods", io.fabric8.kubernetes.api.model.Pod.class,
          "/v1/nodes", io.fabric8.kubernetes.api.model.Node.class,
          "/v1/events", io.fabric8.kubernetes.api.model.Event.class,
          "/v1/namespaces", io.fabric8.kubernetes.api.model.Namespace.class,
          "/v1/services", io.fabric8.kubernetes.api.model.Service.class,
          "/v1/persistentvolumes", io.fabric8.kubernetes.api.model.PersistentVolume.class,
          "/v1/persistentvolumeclaims", io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class,
          "events.k8s.io/v1/events", io.fabric8.kubernetes.api.model.events.v1.Event.class);

  /** Deep enough for a pod's volumes' projections; a deeper field is an open object. */
  private static final int MAX_DEPTH = 14;

  private final Map<String, ObjectNode> cache = new ConcurrentHashMap<>();

  /** A copy of the kind's schema, or null when it is not one of the kinds above. */
  ObjectNode of(ResourceType t) {
    String key = t.group() + "/" + t.version() + "/" + t.plural();
    Class<?> c = CLASSES.get(key);
    if (c == null) {
      return null;
    }
    return cache
        .computeIfAbsent(key, k -> schema(Json.MAPPER.constructType(c), new HashSet<>(), 0))
        .deepCopy();
  }

  private static ObjectNode schema(JavaType type, Set<Class<?>> path, int depth) {
    Class<?> c = type.getRawClass();
    ObjectNode s = Json.object();
    if (c == String.class || c == Character.class || c == char.class || c.isEnum()) {
      return s.put("type", "string");
    }
    if (c == Integer.class || c == int.class || c == Short.class || c == short.class) {
      return s.put("type", "integer").put("format", "int32");
    }
    if (c == Long.class || c == long.class) {
      return s.put("type", "integer").put("format", "int64");
    }
    if (c == Double.class || c == double.class || c == Float.class || c == float.class) {
      return s.put("type", "number").put("format", "double");
    }
    if (c == Boolean.class || c == boolean.class) {
      return s.put("type", "boolean");
    }
    if (c == IntOrString.class || c == Quantity.class) {
      return s.put("x-kubernetes-int-or-string", true);
    }
    if (type.isMapLikeType()) {
      s.put("type", "object");
      s.set("additionalProperties", schema(type.getContentType(), path, depth + 1));
      return s;
    }
    if (type.isCollectionLikeType() || type.isArrayType()) {
      s.put("type", "array");
      s.set("items", schema(type.getContentType(), path, depth + 1));
      return s;
    }
    s.put("type", "object");
    if (c == Object.class
        || c.isInterface()
        || java.lang.reflect.Modifier.isAbstract(c.getModifiers())
        || depth > MAX_DEPTH
        || path.contains(c)
        || !c.getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
      return s.put("x-kubernetes-preserve-unknown-fields", true);
    }
    path.add(c);
    BeanDescription bean = Json.MAPPER.getSerializationConfig().introspect(type);
    ObjectNode properties = Json.object();
    for (BeanPropertyDefinition p : bean.findProperties()) {
      if (p.getPrimaryType() != null && !p.getName().equals("additionalProperties")) {
        properties.set(p.getName(), schema(p.getPrimaryType(), path, depth + 1));
      }
    }
    path.remove(c);
    if (!properties.isEmpty()) {
      s.set("properties", properties);
    }
    return s;
  }
}
