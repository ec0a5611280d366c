package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.Taint;
import java.util.List;
import java.util.Set;

/**
 * Taints a node carries only while it starts (and the unregistered taint Dovetail removes at
 * registration): they do not keep pods away from it, they are about to go. One list for the
 * snapshot of registered nodes and the engine's in-flight NodeClaims.
 */
public final class EphemeralTaints {
  private EphemeralTaints() {}

  public static final Set<String> KEYS =
      Set.of(
          "karpenter.sh/unregistered",
          "node.kubernetes.io/not-ready",
          "node.kubernetes.io/unreachable",
          "node.kubernetes.io/network-unavailable",
          "node.cloudprovider.kubernetes.io/uninitialized");

  /** The taints without the ephemeral ones (the same list when there are none). */
  public static List<Taint> lasting(List<Taint> taints) {
    for (Taint t : taints) {
      if (KEYS.contains(t.key())) {
        return taints.stream().filter(x -> !KEYS.contains(x.key())).toList();
      }
    }
    return taints;
  }
}
