package dev.dovetail.provider;

import dev.dovetail.cloudprovider.Taint;
import java.util.List;

/** Converts taints between the Kubernetes model and the plugin-api model. */
public final class TaintConversions {
  private TaintConversions() {}

  public static List<Taint> toModel(List<io.fabric8.kubernetes.api.model.Taint> taints) {
    if (taints == null) {
      return List.of();
    }
    return taints.stream().map(t -> new Taint(t.getKey(), t.getValue(), t.getEffect())).toList();
  }
}
