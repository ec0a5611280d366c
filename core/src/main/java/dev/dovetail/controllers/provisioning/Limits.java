package dev.dovetail.controllers.provisioning;

import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.provider.CloudProviderFacade;
import java.util.ArrayList;
import java.util.List;

/** NodePool {@code spec.limits}: which limits a usage exceeds (Karpenter's ExceededBy). */
public final class Limits {
  private Limits() {}

  public static Resources of(NodePool pool) {
    return CloudProviderFacade.resources(pool.getSpec().getLimits());
  }

  /** The limited resources whose usage is above the limit, e.g. {@code [cpu]}. */
  public static List<String> exceeded(NodePool pool, Resources usage) {
    List<String> out = new ArrayList<>();
    Resources limits = of(pool);
    for (var e : limits.asMap().entrySet()) {
      if (usage.get(e.getKey()) > e.getValue()) {
        out.add(e.getKey());
      }
    }
    return out;
  }
}
