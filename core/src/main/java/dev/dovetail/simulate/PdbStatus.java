package dev.dovetail.simulate;

import dev.dovetail.translate.Selectors;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;

/**
 * A PDB's status as kube-controller-manager's disruption controller computes it, from the pods in
 * the files: a PDB read from YAML usually has none, and disruption reads {@code
 * disruptionsAllowed}. Healthy pods are the bound, running (or pending-but-bound) ones.
 */
final class PdbStatus {
  private PdbStatus() {}

  static List<PodDisruptionBudget> computed(List<PodDisruptionBudget> pdbs, List<Pod> pods) {
    List<PodDisruptionBudget> out = new ArrayList<>();
    for (PodDisruptionBudget pdb : pdbs) {
      if (pdb.getStatus() != null && pdb.getStatus().getDisruptionsAllowed() != null) {
        out.add(pdb);
        continue;
      }
      String ns = WorkloadPods.ns(pdb);
      int expected = 0;
      int healthy = 0;
      for (Pod p : pods) {
        if (!ns.equals(WorkloadPods.ns(p))
            || !selects(pdb.getSpec() == null ? null : pdb.getSpec().getSelector(), p)) {
          continue;
        }
        expected++;
        if (p.getSpec() != null && p.getSpec().getNodeName() != null) {
          healthy++;
        }
      }
      int desired = desiredHealthy(pdb, expected);
      PodDisruptionBudget copy = Serialization.clone(pdb);
      PodDisruptionBudgetStatus status = new PodDisruptionBudgetStatus();
      status.setExpectedPods(expected);
      status.setCurrentHealthy(healthy);
      status.setDesiredHealthy(desired);
      status.setDisruptionsAllowed(Math.max(0, healthy - desired));
      copy.setStatus(status);
      out.add(copy);
    }
    return out;
  }

  /** policy/v1: a null selector selects no pods, an empty one every pod of the namespace. */
  private static boolean selects(LabelSelector selector, Pod p) {
    return Selectors.matches(selector, p.getMetadata().getLabels());
  }

  private static int desiredHealthy(PodDisruptionBudget pdb, int expected) {
    IntOrString min = pdb.getSpec() == null ? null : pdb.getSpec().getMinAvailable();
    IntOrString max = pdb.getSpec() == null ? null : pdb.getSpec().getMaxUnavailable();
    if (min != null) {
      return scaled(min, expected, true);
    }
    if (max != null) {
      return Math.max(0, expected - scaled(max, expected, true));
    }
    return expected;
  }

  /** An int, or a percentage of {@code of} rounded up, as the disruption controller does. */
  private static int scaled(IntOrString v, int of, boolean roundUp) {
    if (v.getIntVal() != null) {
      return v.getIntVal();
    }
    String s = v.getStrVal().trim();
    if (s.endsWith("%")) {
      double pct = Double.parseDouble(s.substring(0, s.length() - 1));
      double x = of * pct / 100.0;
      return (int) (roundUp ? Math.ceil(x) : Math.floor(x));
    }
    return Integer.parseInt(s);
  }
}
