package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.Requirements;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest {@link CompiledCatalog} of each NodePool, held by one {@link Scheduler} so that warm
 * solves with an unchanged catalog skip compiling it. One entry per NodePool name: a new catalog
 * version replaces the old one.
 */
final class CatalogCache {
  private final Map<String, CompiledCatalog> byPool = new ConcurrentHashMap<>();

  CompiledCatalog get(NodePoolTemplate np, Requirements base, Dims dims) {
    CompiledCatalog c = byPool.get(np.name());
    if (c == null || !c.compiledFrom(np.instanceTypes(), base, dims)) {
      c = new CompiledCatalog(np.instanceTypes(), base, dims);
      byPool.put(np.name(), c);
    }
    return c;
  }
}
