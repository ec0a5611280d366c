package dev.dovetail.state;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces the empty lists and maps of a cached fabric8 object with the shared immutable empties,
 * and its strings with their canonical copies ({@link String#intern}). fabric8's model classes
 * start every list field as a new {@code ArrayList} and every object's {@code additionalProperties}
 * as a new {@code LinkedHashMap}, whether or not the JSON had them: a cached pod of the demo's
 * workload carried ~38 empty lists and ~20 empty maps (~2 KiB), which at 44,000 pods were ~90 MB of
 * a 512 MiB heap (1.67 million {@code ArrayList}s, 888,000 {@code LinkedHashMap}s). Getters still
 * return a list or map, an empty one; a cached object must not be changed anyway (it is the
 * informer's), and one that is would now fail loudly instead of changing the cache under every
 * reader.
 *
 * <p>The strings: the controllers' client already reads string values as canonical copies ({@link
 * dev.dovetail.kube.CanonicalStrings}), but not those fabric8 parses itself: a {@code Quantity}
 * keeps its amount and format as two new strings each ("250" and "m"), 331,000 quantities and
 * ~660,000 strings (~30 MB) at 51,000 pods.
 *
 * <p>The non-empty maps of strings or quantities of fabric8's model classes (labels, annotations,
 * node selectors, resource lists) become {@link CompactMap}s: in their order, immutable, a fifth of
 * a {@code LinkedHashMap}'s size.
 *
 * <p>Walks fabric8's model classes (and their lists, maps and nested model objects) and, for their
 * strings only, our own kinds ({@code dev.dovetail.apis}, with fabric8's {@code CustomResource}
 * fields): a NodeClaim's capacity and allocatable quantities and the names fabric8 computes for
 * each custom resource object ({@code crdName} "nodeclaims.karpenter.sh", {@code apiVersion}) were
 * ~150,000 uncanonical strings at 17,000 NodeClaims (2026-12-05). The empty lists and maps of our
 * kinds are left as they are: our controllers build and copy them. The fields to look at are found
 * once per class.
 */
final class SharedValues {
  /**
   * Most strings met are canonical already (the controllers' client read them so): a cache hit, not
   * a call into the VM's string table each (the walk per Node: 11.0 µs with {@code intern}, 6.7
   * with the cache).
   */
  private final dev.dovetail.kube.RecentCanonicals strings =
      new dev.dovetail.kube.RecentCanonicals();

  private final ClassValue<List<Field>> fields =
      new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
          List<Field> out = new ArrayList<>();
          for (Class<?> c = type; c != null && walked(c); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
              if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                try {
                  f.setAccessible(true);
                  out.add(f);
                } catch (RuntimeException e) {
                  // not reachable: left as it is
                }
              }
            }
          }
          return List.copyOf(out);
        }
      };

  /** Compacts {@code root} in place; returns it. */
  <T> T compact(T root) {
    visit(root, Collections.newSetFromMap(new IdentityHashMap<>()));
    return root;
  }

  static boolean isModel(Class<?> c) {
    return c.getName().startsWith("io.fabric8.kubernetes.api.model.");
  }

  /** Our kinds and their parts, and the fields fabric8's CustomResource adds to each object. */
  static boolean isOurs(Class<?> c) {
    return c.getName().startsWith("dev.dovetail.apis.")
        || c == io.fabric8.kubernetes.client.CustomResource.class;
  }

  private static boolean walked(Class<?> c) {
    return isModel(c) || isOurs(c);
  }

  private void visit(Object o, Set<Object> seen) {
    if (o == null || !walked(o.getClass()) || !seen.add(o)) {
      return;
    }
    boolean model = isModel(o.getClass());
    for (Field f : fields.get(o.getClass())) {
      Object v;
      try {
        v = f.get(o);
      } catch (IllegalAccessException e) {
        continue;
      }
      if (v instanceof List<?> list) {
        if (list.isEmpty()) {
          if (model
              && f.getType().isAssignableFrom(List.class)
              && !(list == Collections.emptyList())) {
            set(f, o, Collections.emptyList());
          }
        } else {
          for (Object e : list) {
            visit(e, seen);
          }
        }
      } else if (v instanceof Map<?, ?> map) {
        if (map.isEmpty()) {
          if (model
              && f.getType().isAssignableFrom(Map.class)
              && !(map == Collections.emptyMap())) {
            set(f, o, Collections.emptyMap());
          }
        } else if (!(map instanceof CompactMap)) {
          // forEach, not values(): a LinkedHashMap keeps the view it hands out (184,000 of them,
          // 3 MB, at 50,000 pods)
          map.forEach((k, e) -> visit(e, seen));
          if (model && f.getType().isAssignableFrom(Map.class) && ofValues(map)) {
            set(f, o, CompactMap.of(map));
          }
        }
      } else if (v instanceof String string) {
        String canonical = strings.canonical(string);
        if (canonical != string) {
          set(f, o, canonical);
        }
      } else {
        visit(v, seen);
      }
    }
  }

  /**
   * A map of strings or quantities (labels, annotations, node selectors, resource lists): not
   * {@code additionalProperties}, whose values are any JSON, lists and maps the code may hold.
   */
  private static boolean ofValues(Map<?, ?> map) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String)
          || !(e.getValue() instanceof String
              || e.getValue() instanceof io.fabric8.kubernetes.api.model.Quantity)) {
        return false;
      }
    }
    return true;
  }

  private static void set(Field f, Object o, Object value) {
    try {
      f.set(o, value);
    } catch (IllegalAccessException | IllegalArgumentException e) {
      // left as it is
    }
  }
}
