package dev.dovetail.controllers.autoscaling.scalablenodegroup;

import static dev.dovetail.apis.autoscaling.v1alpha1.Autoscaling.ABLE_TO_SCALE;
import static dev.dovetail.apis.autoscaling.v1alpha1.Autoscaling.ACTIVE;

import dev.dovetail.apis.autoscaling.v1alpha1.ScalableNodeGroup;
import dev.dovetail.apis.autoscaling.v1alpha1.ScalableNodeGroupStatus;
import dev.dovetail.cloudprovider.NodeGroupScaler;
import dev.dovetail.cloudprovider.NodeGroupScaler.NodeGroupNotFoundException;
import dev.dovetail.controllers.PeriodicController;
import dev.dovetail.kube.Conditions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes each ScalableNodeGroup's cloud node group follow {@code spec.replicas} (Karpenter v0.1):
 * reads the group's replicas into {@code status.replicas} and, when they differ from the spec, asks
 * the cloud for the spec's size. The cloud side is the provider's optional {@link NodeGroupScaler};
 * a provider without it, an unknown type or a missing group is reported as Active=False.
 */
public final class ScalableNodeGroupController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScalableNodeGroupController.class);

  private final KubernetesClient client;
  private final Object provider;
  private final String providerName;
  private final Clock clock;
  private PeriodicController loop;

  /**
   * @param provider the loaded cloud provider; used only if it implements {@link NodeGroupScaler}
   */
  public ScalableNodeGroupController(
      KubernetesClient client, Object provider, String providerName, Clock clock) {
    this.client = client;
    this.provider = provider;
    this.providerName = providerName;
    this.clock = clock;
  }

  public ScalableNodeGroupController start(Duration period) {
    loop = PeriodicController.every(period, "scalablenodegroup", this::reconcileAll).start();
    return this;
  }

  public void reconcileAll() {
    for (ScalableNodeGroup sng :
        client.resources(ScalableNodeGroup.class).inAnyNamespace().list().getItems()) {
      try {
        reconcile(sng);
        client
            .resources(ScalableNodeGroup.class)
            .inNamespace(sng.getMetadata().getNamespace())
            .resource(sng)
            .updateStatus();
      } catch (KubernetesClientException e) {
        LOG.warn("scalablenodegroup {}: {}", sng.getMetadata().getName(), e.toString());
      }
    }
  }

  void reconcile(ScalableNodeGroup sng) {
    Instant now = clock.instant();
    ScalableNodeGroupStatus status =
        sng.getStatus() == null ? new ScalableNodeGroupStatus() : sng.getStatus();
    sng.setStatus(status);
    if (status.conditions == null) {
      status.conditions = new ArrayList<>();
    }
    Long gen = sng.getMetadata().getGeneration();
    String type = sng.getSpec().type;
    String id = sng.getSpec().id;
    if (!(provider instanceof NodeGroupScaler scaler)) {
      Conditions.set(
          status.conditions,
          ACTIVE,
          false,
          "NodeGroupsNotSupported",
          "the "
              + providerName
              + " provider does not scale node groups (no ScalableNodeGroup"
              + " support)",
          gen,
          now);
      return;
    }
    if (type == null || !scaler.supportedNodeGroupTypes().contains(type)) {
      Conditions.set(
          status.conditions,
          ACTIVE,
          false,
          "UnsupportedType",
          "type "
              + type
              + " is not supported by the "
              + providerName
              + " provider (supported: "
              + String.join(", ", new TreeSet<>(scaler.supportedNodeGroupTypes()))
              + ")",
          gen,
          now);
      return;
    }
    int observed;
    try {
      observed = scaler.replicas(type, id);
    } catch (NodeGroupNotFoundException e) {
      Conditions.set(
          status.conditions, ACTIVE, false, "NodeGroupNotFound", e.getMessage(), gen, now);
      return;
    } catch (RuntimeException e) {
      Conditions.set(
          status.conditions, ABLE_TO_SCALE, false, "ReadFailed", e.getMessage(), gen, now);
      return;
    }
    status.replicas = observed;
    Conditions.set(status.conditions, ACTIVE, true, "NodeGroupFound", "", gen, now);
    Integer wanted = sng.getSpec().replicas;
    if (wanted != null && wanted != observed) {
      try {
        scaler.setReplicas(type, id, wanted);
      } catch (RuntimeException e) {
        Conditions.set(
            status.conditions,
            ABLE_TO_SCALE,
            false,
            "ScaleFailed",
            "setting " + id + " to " + wanted + ": " + e.getMessage(),
            gen,
            now);
        return;
      }
    }
    Conditions.set(status.conditions, ABLE_TO_SCALE, true, "Scaled", "", gen, now);
  }

  @Override
  public void close() {
    if (loop != null) {
      loop.close();
    }
  }
}
