package dev.dovetail.translate;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.ArrayList;
import java.util.List;

/** One pod per DaemonSet, from its template: what would land on every new node. */
public final class DaemonSetPods {
  private DaemonSetPods() {}

  public static List<Pod> of(List<DaemonSet> daemonSets) {
    List<Pod> out = new ArrayList<>();
    for (DaemonSet ds : daemonSets) {
      if (ds.getSpec() == null || ds.getSpec().getTemplate() == null) {
        continue;
      }
      ObjectMeta template = ds.getSpec().getTemplate().getMetadata();
      ObjectMeta meta = new ObjectMeta();
      if (template != null) {
        meta.setLabels(template.getLabels());
        meta.setAnnotations(template.getAnnotations());
      }
      meta.setName(ds.getMetadata().getName());
      meta.setNamespace(ds.getMetadata().getNamespace());
      Pod p = new Pod();
      p.setMetadata(meta);
      p.setSpec(ds.getSpec().getTemplate().getSpec());
      out.add(p);
    }
    return out;
  }
}
