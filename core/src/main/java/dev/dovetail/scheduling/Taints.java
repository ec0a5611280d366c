package dev.dovetail.scheduling;

import dev.dovetail.cloudprovider.Taint;
import java.util.List;

/** Taint/toleration checks as kube-scheduler's TaintToleration filter applies them. */
final class Taints {
  private Taints() {}

  /** Taints that keep a pod off a node without a matching toleration. */
  static boolean blocks(Taint t) {
    return "NoSchedule".equals(t.effect()) || "NoExecute".equals(t.effect());
  }

  /** The first blocking taint the tolerations do not tolerate, or null. */
  static Taint firstUntolerated(List<Taint> taints, List<Toleration> tolerations) {
    for (Taint t : taints) {
      if (!blocks(t)) {
        continue;
      }
      boolean ok = false;
      for (Toleration tol : tolerations) {
        if (tol.tolerates(t)) {
          ok = true;
          break;
        }
      }
      if (!ok) {
        return t;
      }
    }
    return null;
  }
}
