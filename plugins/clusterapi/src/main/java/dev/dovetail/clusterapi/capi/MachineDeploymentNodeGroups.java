package dev.dovetail.clusterapi.capi;

import dev.dovetail.cloudprovider.CloudProviderException;
import dev.dovetail.cloudprovider.NodeGroupScaler;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Set;

/**
 * ScalableNodeGroup type {@code ClusterAPIMachineDeployment} (autoscaling.karpenter.sh/v1alpha1): a
 * MachineDeployment by {@code namespace/name} (or {@code name} in the bridge's namespace). Replicas
 * are its ready replicas; the size is written with {@link ReplicaScaler} (optimistic concurrency,
 * never outside the cluster-autoscaler bounds annotated on it).
 */
public final class MachineDeploymentNodeGroups implements NodeGroupScaler {
  public static final String TYPE = "ClusterAPIMachineDeployment";

  private final CapiApi api;
  private final ReplicaScaler scaler;
  private final String defaultNamespace;

  public MachineDeploymentNodeGroups(CapiApi api, String defaultNamespace) {
    this.api = api;
    this.scaler = new ReplicaScaler(api.client());
    this.defaultNamespace = defaultNamespace == null ? "default" : defaultNamespace;
  }

  @Override
  public Set<String> supportedNodeGroupTypes() {
    return Set.of(TYPE);
  }

  private String[] namespaceAndName(String type, String id) {
    if (!TYPE.equals(type)) {
      throw new CloudProviderException(
          "node group type "
              + type
              + " is not supported by the clusterapi plugin (supported: "
              + TYPE
              + ")");
    }
    String[] parts = id.split("/", -1);
    if (parts.length == 1 && !parts[0].isEmpty()) {
      return new String[] {defaultNamespace, parts[0]};
    }
    if (parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
      return parts;
    }
    throw new NodeGroupNotFoundException(
        "invalid MachineDeployment id " + id + " (want NAMESPACE/NAME or NAME)");
  }

  @Override
  public int replicas(String type, String id) {
    String[] nn = namespaceAndName(type, id);
    var md = api.get(Capi.MACHINE_DEPLOYMENT, nn[0], nn[1]).orElseThrow(() -> notFound(nn));
    Object ready = Fields.get(md, "status.readyReplicas");
    return ready instanceof Number n ? n.intValue() : 0;
  }

  @Override
  public void setReplicas(String type, String id, int replicas) {
    String[] nn = namespaceAndName(type, id);
    try {
      scaler.modify(
          api.context(Capi.MACHINE_DEPLOYMENT),
          nn[0],
          nn[1],
          md -> {
            int now = ReplicaScaler.replicas(md);
            if (now == replicas) {
              return ReplicaScaler.Outcome.keep(now);
            }
            ReplicaScaler.Bounds b = ReplicaScaler.bounds(md);
            if (!b.allows(replicas)) {
              throw new ReplicaScaler.OutOfBoundsException(nn[0] + "/" + nn[1], replicas, now, b);
            }
            ReplicaScaler.setReplicas(md, replicas);
            return ReplicaScaler.Outcome.write(replicas);
          });
    } catch (ReplicaScaler.OutOfBoundsException e) {
      throw new CloudProviderException("MachineDeployment " + e.getMessage(), e);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        throw notFound(nn);
      }
      throw new CloudProviderException(
          "scaling MachineDeployment " + nn[0] + "/" + nn[1] + ": " + e.getMessage(), e);
    }
  }

  private static NodeGroupNotFoundException notFound(String[] nn) {
    return new NodeGroupNotFoundException(
        "MachineDeployment " + nn[0] + "/" + nn[1] + " not found");
  }
}
