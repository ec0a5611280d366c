package dev.dovetail.plugins.simulated;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The simulated cloud's NodeClass. It keeps the group, version and kind of Karpenter's kwok
 * provider ({@code karpenter.kwok.sh/v1alpha1 KWOKNodeClass}, cluster-scoped) so NodePools written
 * for kwok apply unchanged.
 */
@Group(KWOKNodeClass.GROUP)
@Version(KWOKNodeClass.VERSION)
@Kind(KWOKNodeClass.KIND)
public class KWOKNodeClass extends CustomResource<KWOKNodeClass.Spec, Void> {
  public static final String GROUP = "karpenter.kwok.sh";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "KWOKNodeClass";

  /**
   * The NodeClass spec.
   *
   * <p>{@code nodeRegistrationDelay} (a duration such as {@code 5s}) overrides the plugin's {@code
   * launchLatency} for nodes of this class, as in upstream kwok.
   */
  public static class Spec {
    private String nodeRegistrationDelay;

    public String getNodeRegistrationDelay() {
      return nodeRegistrationDelay;
    }

    public void setNodeRegistrationDelay(String nodeRegistrationDelay) {
      this.nodeRegistrationDelay = nodeRegistrationDelay;
    }
  }
}
