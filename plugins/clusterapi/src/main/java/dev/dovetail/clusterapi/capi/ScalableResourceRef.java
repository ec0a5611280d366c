package dev.dovetail.clusterapi.capi;

import java.util.List;

/**
 * A Cluster API scalable resource: a MachineDeployment, MachineSet or MachinePool.
 *
 * @param kind one of {@link #KINDS}
 */
public record ScalableResourceRef(String kind, String namespace, String name) {
  public static final List<String> KINDS =
      List.of(Capi.MACHINE_DEPLOYMENT, Capi.MACHINE_SET, Capi.MACHINE_POOL);

  /** {@code Kind/namespace/name}, as stored on claimed Machines. */
  @Override
  public String toString() {
    return kind + "/" + namespace + "/" + name;
  }

  public static ScalableResourceRef parse(String s) {
    String[] parts = s == null ? new String[0] : s.split("/");
    if (parts.length != 3 || !KINDS.contains(parts[0])) {
      throw new IllegalArgumentException("not a Kind/namespace/name scalable resource: " + s);
    }
    return new ScalableResourceRef(parts[0], parts[1], parts[2]);
  }

  /** The label CAPI puts on this resource's Machines with the resource's name as value. */
  public String machineLabel() {
    return switch (kind) {
      case Capi.MACHINE_DEPLOYMENT -> Capi.DEPLOYMENT_NAME_LABEL;
      case Capi.MACHINE_SET -> Capi.SET_NAME_LABEL;
      default -> Capi.POOL_NAME_LABEL;
    };
  }
}
