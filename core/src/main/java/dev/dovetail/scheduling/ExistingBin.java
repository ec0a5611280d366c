package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.List;

/** An existing node or in-flight NodeClaim as a bin: its free capacity and effective taints. */
final class ExistingBin extends Bin {
  final ExistingNode node;
  final long[] free;
  final List<Taint> taints;

  ExistingBin(ExistingNode node, Dims dims) {
    this.node = node;
    long[] alloc = dims.vector(node.allocatable());
    long[] used = dims.vector(node.requested());
    if (!node.requested().has(Resources.PODS)) {
      used[Dims.PODS] = node.pods().size();
    }
    free = new long[alloc.length];
    for (int i = 0; i < alloc.length; i++) {
      free[i] = alloc[i] - used[i];
    }
    // An in-flight node's start-up taints go before pods could run on it; Karpenter plans onto it
    // as if they were gone, or every launch would look full.
    taints = node.inFlight() ? EphemeralTaints.lasting(node.taints()) : node.taints();
  }

  @Override
  String value(String key) {
    String v = node.labels().get(key);
    if (v == null && WellKnownLabels.HOSTNAME.equals(key)) {
      return node.name();
    }
    return v;
  }

  /** Takes a pod's requests off the free capacity. */
  void take(long[] req) {
    for (int i = 0; i < req.length; i++) {
      free[i] -= req[i];
    }
  }
}
