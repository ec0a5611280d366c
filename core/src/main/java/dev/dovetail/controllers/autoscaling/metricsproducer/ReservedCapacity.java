package dev.dovetail.controllers.autoscaling.metricsproducer;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Karpenter v0.1's reserved capacity, pure: over the ready, schedulable nodes given, the sum of the
 * pods' container requests (cpu, memory) and their count (pods), and the sum of the nodes'
 * allocatable. Pods that finished (Succeeded, Failed) reserve nothing.
 */
public final class ReservedCapacity {
  /** One resource's reserved and capacity; utilization is their ratio (NaN without capacity). */
  public record Reservation(BigDecimal reserved, BigDecimal capacity) {
    public double utilization() {
      return capacity.signum() == 0 ? Double.NaN : reserved.doubleValue() / capacity.doubleValue();
    }
  }

  private ReservedCapacity() {}

  /** Keyed by "cpu", "memory", "pods", in that order. */
  public static Map<String, Reservation> of(Collection<Node> nodes, Collection<Pod> pods) {
    Map<String, BigDecimal> reserved = zero();
    Map<String, BigDecimal> capacity = zero();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Node n : nodes) {
      if (!readyAndSchedulable(n)) {
        continue;
      }
      names.add(n.getMetadata().getName());
      Map<String, Quantity> alloc =
          n.getStatus() == null || n.getStatus().getAllocatable() == null
              ? Map.of()
              : n.getStatus().getAllocatable();
      for (String r : capacity.keySet()) {
        if (alloc.get(r) != null) {
          capacity.merge(r, alloc.get(r).getNumericalAmount(), BigDecimal::add);
        }
      }
    }
    for (Pod p : pods) {
      if (p.getSpec() == null || !names.contains(p.getSpec().getNodeName())) {
        continue;
      }
      String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
      if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
        continue;
      }
      reserved.merge("pods", BigDecimal.ONE, BigDecimal::add);
      for (Container c : p.getSpec().getContainers()) {
        Map<String, Quantity> req =
            c.getResources() == null || c.getResources().getRequests() == null
                ? Map.of()
                : c.getResources().getRequests();
        for (String r : new String[] {"cpu", "memory"}) {
          if (req.get(r) != null) {
            reserved.merge(r, req.get(r).getNumericalAmount(), BigDecimal::add);
          }
        }
      }
    }
    Map<String, Reservation> out = new LinkedHashMap<>();
    for (String r : reserved.keySet()) {
      out.put(r, new Reservation(reserved.get(r), capacity.get(r)));
    }
    return out;
  }

  private static Map<String, BigDecimal> zero() {
    Map<String, BigDecimal> m = new LinkedHashMap<>();
    m.put("cpu", BigDecimal.ZERO);
    m.put("memory", BigDecimal.ZERO);
    m.put("pods", BigDecimal.ZERO);
    return m;
  }

  static boolean readyAndSchedulable(Node n) {
    if (n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable())) {
      return false;
    }
    return n.getStatus() != null
        && n.getStatus().getConditions() != null
        && n.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
