package dev.dovetail.clusterapi;

import dev.dovetail.clusterapi.capi.ScalableResourceRef;
import dev.dovetail.clusterapi.capi.ScalableResources;
import dev.dovetail.clusterapi.instancetype.InstanceTypeResolver;
import dev.dovetail.clusterapi.instancetype.ResolvedResource;
import dev.dovetail.clusterapi.v1alpha1.ClusterAPINodeClass;
import dev.dovetail.clusterapi.v1alpha1.ClusterAPINodeClassSpec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolved scalable resources per NodeClass spec, reused for a short time: the core asks for
 * instance types many times per scheduling pass (and for every launched NodeClaim's price), and
 * each resolution lists CAPI objects. Create always resolves fresh.
 */
final class ResolvedResourceCache {
  private record Key(String selector, String namespace, String clusterName) {}

  private record Entry(long at, List<ResolvedResource> value) {}

  private final ScalableResources resources;
  private final InstanceTypeResolver resolver;
  private final long ttlNanos;
  private final String defaultNamespace;
  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();

  ResolvedResourceCache(
      ScalableResources resources,
      InstanceTypeResolver resolver,
      Duration ttl,
      String defaultNamespace) {
    this.defaultNamespace = defaultNamespace;
    this.resources = resources;
    this.resolver = resolver;
    this.ttlNanos = ttl.toNanos();
  }

  List<ResolvedResource> resolve(ClusterAPINodeClass nodeClass) {
    Key key = key(nodeClass);
    long now = System.nanoTime();
    Entry e = entries.get(key);
    if (e != null && now - e.at() < ttlNanos) {
      return e.value();
    }
    List<ResolvedResource> fresh = compute(nodeClass);
    entries.put(key, new Entry(now, fresh));
    return fresh;
  }

  List<ResolvedResource> resolveFresh(ClusterAPINodeClass nodeClass) {
    List<ResolvedResource> fresh = compute(nodeClass);
    entries.put(key(nodeClass), new Entry(System.nanoTime(), fresh));
    return fresh;
  }

  Optional<ResolvedResource> resolveOne(ScalableResourceRef ref) {
    return resources.get(ref).map(resolver::resolve);
  }

  private List<ResolvedResource> compute(ClusterAPINodeClass nodeClass) {
    ClusterAPINodeClassSpec spec = nodeClass == null ? null : nodeClass.getSpec();
    return resources
        .select(
            spec == null ? null : spec.scalableResourceSelector,
            spec == null || blankToNull(spec.namespace) == null ? defaultNamespace : spec.namespace,
            spec == null ? null : blankToNull(spec.clusterName))
        .stream()
        .map(resolver::resolve)
        .toList();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static Key key(ClusterAPINodeClass nodeClass) {
    ClusterAPINodeClassSpec spec = nodeClass == null ? null : nodeClass.getSpec();
    if (spec == null) {
      return new Key("", "", "");
    }
    return new Key(
        Objects.toString(spec.scalableResourceSelector),
        Objects.toString(spec.namespace, ""),
        Objects.toString(spec.clusterName, ""));
  }
}
