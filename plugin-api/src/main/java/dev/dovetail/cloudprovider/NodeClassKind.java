package dev.dovetail.cloudprovider;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;

/**
 * A NodeClass kind a provider reads, with the model class the core deserializes it into.
 *
 * @param group API group, e.g. {@code karpenter.k8s.aws}
 * @param version API version, e.g. {@code v1}
 * @param kind kind, e.g. {@code EC2NodeClass}
 * @param type the model class (a fabric8 custom resource in the plugin)
 */
public record NodeClassKind(
    String group, String version, String kind, Class<? extends HasMetadata> type) {

  public NodeClassKind {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(type, "type");
  }

  /** The kind of a fabric8 model class, from its {@code @Group} and {@code @Version}. */
  public static NodeClassKind of(Class<? extends HasMetadata> type) {
    return new NodeClassKind(
        HasMetadata.getGroup(type), HasMetadata.getVersion(type), HasMetadata.getKind(type), type);
  }

  public String apiVersion() {
    return group + "/" + version;
  }

  public boolean matches(String apiVersionOrGroup, String kindName) {
    if (!kind.equals(kindName)) {
      return false;
    }
    return apiVersionOrGroup == null
        || apiVersionOrGroup.equals(group)
        || apiVersionOrGroup.equals(apiVersion());
  }
}
