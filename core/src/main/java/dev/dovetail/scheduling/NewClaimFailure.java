package dev.dovetail.scheduling;

/** Words why a pod cannot go on a new NodeClaim of a NodePool, for the unschedulable reason. */
final class NewClaimFailure {
  private NewClaimFailure() {}

  static String explain(
      Dims dims,
      ReqTable table,
      PoolState pool,
      PodClass cls,
      PodClass.Variant v,
      Plan.Failure failure) {
    Plan.Kind kind = failure.kind();
    if (kind == Plan.Kind.NO_ROOM || kind == Plan.Kind.NO_COMPATIBLE_TYPE) {
      boolean room = kind == Plan.Kind.NO_ROOM;
      String reqs = table.get(v.altSoft[0]).toString();
      boolean none = "[]".equals(reqs);
      boolean overhead = false;
      for (long o : pool.overhead) {
        overhead |= o != 0;
      }
      return "no instance type in NodePool "
          + pool.np.name()
          + (none ? "" : " compatible with " + reqs)
          + (room ? " has room for " + dims.describe(cls.req) : " is available")
          + (overhead && room
              ? " (plus daemonset overhead " + dims.describe(pool.overhead) + ")"
              : "");
    }
    String message = failure.render();
    if (message != null) {
      return message + " (NodePool " + pool.np.name() + ")";
    }
    return "cannot place on a new node of NodePool " + pool.np.name();
  }
}
