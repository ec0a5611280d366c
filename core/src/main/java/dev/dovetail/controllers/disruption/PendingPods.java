package dev.dovetail.controllers.disruption;

import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.state.ClusterView;
import dev.dovetail.state.PodUtils;
import dev.dovetail.translate.PodTranslator;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * The pods consolidation must leave room for: not bound, not leaving, not DaemonSet or mirror pods,
 * and nominated nowhere (a nominated pod already counts on its node or in-flight NodeClaim). Every
 * such pod counts, whether or not the scheduler has marked it unschedulable yet: a pod the
 * scheduler has not looked at would land on the capacity consolidation is about to remove.
 */
final class PendingPods {
  private final ClusterView state;
  private final PodTranslator translator;

  PendingPods(ClusterView state, PodTranslator translator) {
    this.state = state;
    this.translator = translator;
  }

  List<SchedulingPod> list() {
    List<SchedulingPod> out = new ArrayList<>();
    for (Pod p : state.pods()) {
      if (!PodUtils.isBound(p) && ModelBuilder.reschedulable(p) && state.nomination(p).isEmpty()) {
        out.add(translator.translate(p));
      }
    }
    return out;
  }
}
