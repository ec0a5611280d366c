package dev.dovetail.gcp.instancetype;

import com.google.cloud.compute.v1.AggregatedListMachineTypesRequest;
import com.google.cloud.compute.v1.MachineType;
import com.google.cloud.compute.v1.MachineTypesClient;
import com.google.cloud.compute.v1.MachineTypesScopedList;
import dev.dovetail.gcp.Retrier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The region's machine types, from one {@code MachineTypes.aggregatedList} call, cached for a while
 * (machine types change rarely). A failed call throws: an empty list is never mistaken for "no
 * machine types".
 */
public final class MachineTypeProvider {
  private final MachineTypesClient client;
  private final Retrier retrier;
  private final String project;
  private final Supplier<List<String>> zones;
  private final Clock clock;
  private final Duration ttl;
  private volatile Cached cached;

  private record Cached(List<MachineTypeInfo> types, Instant at) {}

  public MachineTypeProvider(
      MachineTypesClient client,
      Retrier retrier,
      String project,
      Supplier<List<String>> zones,
      Clock clock,
      Duration ttl) {
    this.client = client;
    this.retrier = retrier;
    this.project = project;
    this.zones = zones;
    this.clock = clock;
    this.ttl = ttl;
  }

  public List<MachineTypeInfo> machineTypes() {
    Cached c = cached;
    if (c != null && clock.instant().isBefore(c.at().plus(ttl))) {
      return c.types();
    }
    List<MachineTypeInfo> fresh = retrier.call("machineTypes.aggregatedList", this::fetch);
    cached = new Cached(fresh, clock.instant());
    return fresh;
  }

  private List<MachineTypeInfo> fetch() {
    Set<String> regionZones = Set.copyOf(zones.get());
    Map<String, MachineTypeInfo> byName = new TreeMap<>();
    AggregatedListMachineTypesRequest request =
        AggregatedListMachineTypesRequest.newBuilder().setProject(project).build();
    for (Map.Entry<String, MachineTypesScopedList> scope :
        client.aggregatedList(request).iterateAll()) {
      String zone = lastSegment(scope.getKey());
      if (!regionZones.contains(zone)) {
        continue;
      }
      for (MachineType mt : scope.getValue().getMachineTypesList()) {
        if (mt.hasDeprecated() && !mt.getDeprecated().getState().isEmpty()) {
          continue;
        }
        byName.merge(
            mt.getName(), MachineTypeInfo.of(mt, Set.of(zone)), (a, b) -> a.withZones(b.zones()));
      }
    }
    return new ArrayList<>(byName.values());
  }

  static String lastSegment(String s) {
    return s.substring(s.lastIndexOf('/') + 1);
  }
}
