package dev.dovetail.gcp.instancetype;

import com.google.cloud.compute.v1.Accelerators;
import com.google.cloud.compute.v1.MachineType;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One machine type as {@code MachineTypes.aggregatedList} reports it, with the zones of the region
 * that offer it.
 *
 * @param name e.g. {@code n2-standard-4}
 * @param vcpus guest CPUs
 * @param memoryMiB memory in MiB
 * @param arch {@code amd64} or {@code arm64} (GCE's {@code ARM64})
 * @param acceleratorType bundled accelerator type, or null
 * @param acceleratorCount bundled accelerators (the sum of the counts)
 * @param sharedCpu shared-core (e2-micro, e2-small, e2-medium, f1, g1)
 * @param zones zones of the region offering it
 */
public record MachineTypeInfo(
    String name,
    int vcpus,
    long memoryMiB,
    String arch,
    String acceleratorType,
    int acceleratorCount,
    boolean sharedCpu,
    Set<String> zones) {

  public MachineTypeInfo {
    // sorted, so offerings (and launch attempts at equal prices) come in zone order
    zones = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(zones));
  }

  /** The fields of a GCE machine type; zones are added by the caller. */
  public static MachineTypeInfo of(MachineType mt, Set<String> zones) {
    List<Accelerators> accs = mt.getAcceleratorsList();
    String type = accs.isEmpty() ? null : accs.get(0).getGuestAcceleratorType();
    int count = accs.stream().mapToInt(Accelerators::getGuestAcceleratorCount).sum();
    String arch = "ARM64".equals(mt.getArchitecture().toUpperCase(Locale.ROOT)) ? "arm64" : "amd64";
    return new MachineTypeInfo(
        mt.getName(),
        mt.getGuestCpus(),
        mt.getMemoryMb(),
        arch,
        type,
        count,
        mt.getIsSharedCpu(),
        zones);
  }

  public MachineTypeInfo withZones(Set<String> more) {
    java.util.Set<String> all = new java.util.TreeSet<>(zones);
    all.addAll(more);
    return new MachineTypeInfo(
        name, vcpus, memoryMiB, arch, acceleratorType, acceleratorCount, sharedCpu, all);
  }
}
