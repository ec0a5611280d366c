package dev.dovetail.apis.autoscaling.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The autoscaler SIG's {@code autoscaling.x-k8s.io/v1alpha1} CapacityBuffer (gate {@code
 * CapacityBuffer}): spare capacity kept ready for a pod shape, as {@code replicas} copies of a
 * PodTemplate or of a workload's pod template ({@code scalableRef}), or a {@code percentage} of the
 * workload's replicas, capped by {@code limits}. Namespaced.
 */
@Group(CapacityBuffer.GROUP)
@Version(value = CapacityBuffer.VERSION, storage = true, served = true)
@Singular("capacitybuffer")
@Plural("capacitybuffers")
public class CapacityBuffer extends CustomResource<CapacityBuffer.Spec, CapacityBuffer.Status>
    implements Namespaced {
  public static final String GROUP = "autoscaling.x-k8s.io";
  public static final String VERSION = "v1alpha1";
  public static final String ACTIVE_CAPACITY = "buffer.x-k8s.io/active-capacity";

  /** Condition type: the buffer resolved to pods the provisioner keeps room for. */
  public static final String READY_FOR_PROVISIONING = "ReadyForProvisioning";

  @Override
  protected Spec initSpec() {
    return new Spec();
  }

  @Override
  protected Status initStatus() {
    return new Status();
  }

  /** {@code spec}: exactly one of podTemplateRef and scalableRef. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.podTemplateRef) != has(self.scalableRef)",
      message = "exactly one of podTemplateRef and scalableRef must be set")
  public static class Spec {
    /** Only {@code buffer.x-k8s.io/active-capacity} (the default) is acted on. */
    public String provisioningStrategy;

    public LocalObjectRef podTemplateRef;
    public ScalableRef scalableRef;

    @Min(0)
    public Integer replicas;

    @Min(0)
    public Integer percentage;

    public Map<String, Quantity> limits;
  }

  /** A PodTemplate in the buffer's namespace. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LocalObjectRef {
    public String name;
  }

  /** A workload with a scale subresource (Deployment, StatefulSet, ReplicaSet). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ScalableRef {
    public String apiGroup;
    public String kind;
    public String name;
  }

  /** {@code status}: the resolved template and replicas, and conditions. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Status {
    public LocalObjectRef podTemplateRef;
    public Integer replicas;
    public Long podTemplateGeneration;
    public String provisioningStrategy;

    @io.fabric8.crd.generator.annotation.SchemaFrom(
        type = dev.dovetail.apis.v1.ConditionSchema[].class)
    public List<Condition> conditions = new ArrayList<>();
  }
}
