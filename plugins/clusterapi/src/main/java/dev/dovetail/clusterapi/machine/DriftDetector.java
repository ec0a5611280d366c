package dev.dovetail.clusterapi.machine;

import dev.dovetail.clusterapi.capi.Capi;
import dev.dovetail.clusterapi.capi.CapiApi;
import dev.dovetail.clusterapi.capi.Fields;
import dev.dovetail.clusterapi.capi.ScalableResource;
import dev.dovetail.clusterapi.capi.ScalableResourceRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Objects;
import java.util.Optional;

/**
 * A claimed Machine has drifted when its scalable resource's template (infrastructure template,
 * bootstrap config template, Kubernetes version) is no longer the one recorded when it was claimed,
 * or when the Machine runs another Kubernetes version than the template asks for.
 */
public final class DriftDetector {
  private final CapiApi api;

  public DriftDetector(CapiApi api) {
    this.api = api;
  }

  public static Optional<ScalableResourceRef> owner(GenericKubernetesResource m) {
    return MachineReleaser.ownerOf(m);
  }

  /** The drift reason, or empty when the Machine matches its resource (or that is gone). */
  public Optional<String> drifted(GenericKubernetesResource m) {
    Optional<ScalableResourceRef> ref = owner(m);
    if (ref.isEmpty()) {
      return Optional.empty();
    }
    Optional<ScalableResource> r =
        api.get(ref.get().kind(), ref.get().namespace(), ref.get().name())
            .map(o -> ScalableResource.of(ref.get().kind(), o));
    if (r.isEmpty()) {
      return Optional.empty();
    }
    String recorded = Fields.annotations(m).get(Capi.TEMPLATE_ANNOTATION);
    String now = r.get().templateFingerprint();
    if (recorded != null && !recorded.equals(now)) {
      return Optional.of(
          "ScalableResourceDrifted: "
              + ref.get()
              + " template changed from ["
              + recorded
              + "] to ["
              + now
              + "]");
    }
    String machineVersion = Fields.string(m, "spec.version");
    String wanted = r.get().version();
    if (machineVersion != null && wanted != null && !Objects.equals(machineVersion, wanted)) {
      return Optional.of(
          "ScalableResourceDrifted: Machine runs "
              + machineVersion
              + ", "
              + ref.get()
              + " wants "
              + wanted);
    }
    return Optional.empty();
  }
}
