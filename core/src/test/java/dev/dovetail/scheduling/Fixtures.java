package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.List;

/** Small instance catalogs and pods for engine tests. */
final class Fixtures {
  private Fixtures() {}

  static final long GI = 1L << 30;
  static final long MI = 1L << 20;

  static final List<String> ZONES = List.of("zone-a", "zone-b", "zone-c");

  /** A type with cpu cores, memory GiB, an arch, offerings in every zone (spot and on-demand). */
  static InstanceType type(String name, int cores, long memGi, String arch, double price) {
    return type(name, cores, memGi, arch, price, Resources.EMPTY);
  }

  static InstanceType type(
      String name, int cores, long memGi, String arch, double price, Resources extra) {
    List<Offering> offs = new ArrayList<>();
    for (String z : ZONES) {
      offs.add(new Offering(z, "on-demand", price, true));
      offs.add(new Offering(z, "spot", price * 0.7, true));
    }
    Resources cap =
        Resources.of(
                Resources.CPU, cores * 1000L, Resources.MEMORY, memGi * GI, Resources.PODS, 110L)
            .add(extra);
    return new InstanceType(
        name,
        Requirements.of(
            Requirement.in(WellKnownLabels.INSTANCE_TYPE, name),
            Requirement.in(WellKnownLabels.ARCH, arch),
            Requirement.in(WellKnownLabels.OS, "linux"),
            Requirement.in("family", name.substring(0, name.indexOf('.')))),
        offs,
        cap,
        new InstanceType.Overhead(
            Resources.of(Resources.CPU, 100L, Resources.MEMORY, 256 * MI), null, null));
  }

  /** m.{1,2,4,8,16}xl amd64, a.{...} arm64 (cheaper), price proportional to size. */
  static List<InstanceType> catalog() {
    List<InstanceType> out = new ArrayList<>();
    for (int s : new int[] {1, 2, 4, 8, 16}) {
      out.add(type("m." + s + "xl", 2 * s, 8L * s, "amd64", 0.1 * s));
      out.add(type("a." + s + "xl", 2 * s, 8L * s, "arm64", 0.08 * s));
      out.add(type("c." + s + "xl", 2 * s, 4L * s, "amd64", 0.085 * s));
    }
    return out;
  }

  static SchedulingPod pod(String id, long cpuMillis, long memBytes) {
    return SchedulingPod.builder(id).requests(cpuMillis, memBytes).build();
  }

  static NodePoolTemplate pool(String name, Requirements reqs) {
    return NodePoolTemplate.of(name, reqs, catalog());
  }
}
