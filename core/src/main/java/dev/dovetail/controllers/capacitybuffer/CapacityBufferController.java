package dev.dovetail.controllers.capacitybuffer;

import dev.dovetail.apis.autoscaling.v1alpha1.CapacityBuffer;
import dev.dovetail.kube.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves every CapacityBuffer (gate {@code CapacityBuffer}) to virtual pods the provisioner adds
 * to its snapshot: {@code replicas} copies of the referenced PodTemplate, or of the pod template of
 * the referenced Deployment/StatefulSet/ReplicaSet, or {@code percentage} of that workload's
 * replicas (rounded up; with both set, the larger), capped by {@code limits} on the total requests.
 * Writes {@code status.replicas} and the {@code ReadyForProvisioning} condition, and asks the
 * provisioner to run so the room is kept. A buffer that cannot be resolved keeps nothing and says
 * why.
 */
public final class CapacityBufferController {
  private static final Logger LOG = LoggerFactory.getLogger(CapacityBufferController.class);

  /**
   * @param enabled whether buffers are read (upstream's CapacityBuffer gate)
   * @param pollInterval how often buffers and their workloads are re-read
   */
  public record Options(boolean enabled, Duration pollInterval) {
    public static final Options DEFAULT = new Options(false, Duration.ofSeconds(10));
  }

  private final KubernetesClient client;
  private final Clock clock;
  private final Options options;
  private final Runnable provisionNow;
  private volatile List<Pod> virtualPods = List.of();

  public CapacityBufferController(
      KubernetesClient client, Clock clock, Options options, Runnable provisionNow) {
    this.client = client;
    this.clock = clock;
    this.options = options;
    this.provisionNow = provisionNow;
  }

  /** The pods the provisioner keeps room for (empty until the first pass). */
  public List<Pod> virtualPods() {
    return virtualPods;
  }

  /** One pass; returns the virtual pods. */
  public List<Pod> reconcileOnce() {
    List<CapacityBuffer> buffers;
    try {
      buffers = client.resources(CapacityBuffer.class).inAnyNamespace().list().getItems();
    } catch (KubernetesClientException e) {
      LOG.warn("listing CapacityBuffers: {}; keeping the previous buffers", e.toString());
      return virtualPods;
    }
    List<Pod> pods = new ArrayList<>();
    for (CapacityBuffer b : buffers) {
      Resolution r;
      try {
        r = resolve(b);
      } catch (KubernetesClientException e) {
        r = Resolution.failed("ReadError", e.getMessage());
      }
      if (r.template() != null && r.replicas() > 0) {
        pods.addAll(
            BufferPods.of(
                b.getMetadata().getNamespace(),
                b.getMetadata().getName(),
                r.template(),
                r.replicas()));
      }
      writeStatus(b, r);
    }
    virtualPods = List.copyOf(pods);
    if (!pods.isEmpty()) {
      provisionNow.run();
    }
    return virtualPods;
  }

  record Resolution(PodTemplateSpec template, int replicas, String reason, String message) {
    static Resolution failed(String reason, String message) {
      return new Resolution(null, 0, reason, message);
    }
  }

  Resolution resolve(CapacityBuffer b) {
    CapacityBuffer.Spec spec = b.getSpec();
    String ns = b.getMetadata().getNamespace();
    if (spec == null) {
      return Resolution.failed("InvalidSpec", "spec is required");
    }
    if (spec.provisioningStrategy != null
        && !CapacityBuffer.ACTIVE_CAPACITY.equals(spec.provisioningStrategy)) {
      return Resolution.failed(
          "UnsupportedStrategy",
          "provisioningStrategy " + spec.provisioningStrategy + " is not supported");
    }
    if ((spec.podTemplateRef == null) == (spec.scalableRef == null)) {
      return Resolution.failed(
          "InvalidSpec", "exactly one of podTemplateRef and scalableRef must be set");
    }
    PodTemplateSpec template;
    Integer workloadReplicas = null;
    if (spec.podTemplateRef != null) {
      PodTemplate pt =
          client.v1().podTemplates().inNamespace(ns).withName(spec.podTemplateRef.name).get();
      if (pt == null) {
        return Resolution.failed(
            "PodTemplateNotFound",
            "PodTemplate " + ns + "/" + spec.podTemplateRef.name + " not found");
      }
      template = pt.getTemplate();
    } else {
      HasMetadata workload = workload(ns, spec.scalableRef);
      if (workload == null) {
        return Resolution.failed(
            "ScalableNotFound",
            spec.scalableRef.kind + " " + ns + "/" + spec.scalableRef.name + " not found");
      }
      template = templateOf(workload);
      workloadReplicas = replicasOf(workload);
    }
    if (template == null || template.getSpec() == null) {
      return Resolution.failed("InvalidTemplate", "the referenced pod template has no spec");
    }
    Integer wanted = spec.replicas;
    if (spec.percentage != null && workloadReplicas != null) {
      int pct = (int) Math.ceil(workloadReplicas * spec.percentage / 100.0);
      wanted = wanted == null ? pct : Math.max(wanted, pct);
    }
    Integer capped = cap(template, spec.limits);
    if (wanted == null) {
      if (capped == null) {
        return Resolution.failed(
            "InvalidSpec", "set replicas, percentage (with scalableRef) or limits");
      }
      wanted = capped;
    } else if (capped != null) {
      wanted = Math.min(wanted, capped);
    }
    return new Resolution(template, Math.max(0, wanted), null, null);
  }

  /** How many copies fit in the limits; null when there are none. */
  private static Integer cap(PodTemplateSpec template, Map<String, Quantity> limits) {
    if (limits == null || limits.isEmpty()) {
      return null;
    }
    Map<String, Quantity> per = BufferPods.requests(template);
    int n = Integer.MAX_VALUE;
    for (var e : limits.entrySet()) {
      Quantity req = per.get(e.getKey());
      if (req == null || req.getNumericalAmount().signum() == 0) {
        continue;
      }
      BigDecimal fit =
          e.getValue().getNumericalAmount().divide(req.getNumericalAmount(), 0, RoundingMode.FLOOR);
      n = Math.min(n, fit.intValue());
    }
    return n == Integer.MAX_VALUE ? null : n;
  }

  private HasMetadata workload(String ns, CapacityBuffer.ScalableRef ref) {
    String kind = ref.kind == null ? "" : ref.kind;
    return switch (kind) {
      case "Deployment" -> client.apps().deployments().inNamespace(ns).withName(ref.name).get();
      case "StatefulSet" -> client.apps().statefulSets().inNamespace(ns).withName(ref.name).get();
      case "ReplicaSet" -> client.apps().replicaSets().inNamespace(ns).withName(ref.name).get();
      default -> null;
    };
  }

  private static PodTemplateSpec templateOf(HasMetadata w) {
    if (w instanceof io.fabric8.kubernetes.api.model.apps.Deployment d) {
      return d.getSpec().getTemplate();
    }
    if (w instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet s) {
      return s.getSpec().getTemplate();
    }
    if (w instanceof io.fabric8.kubernetes.api.model.apps.ReplicaSet r) {
      return r.getSpec().getTemplate();
    }
    return null;
  }

  private static Integer replicasOf(HasMetadata w) {
    Integer r = null;
    if (w instanceof io.fabric8.kubernetes.api.model.apps.Deployment d) {
      r = d.getSpec().getReplicas();
    } else if (w instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet s) {
      r = s.getSpec().getReplicas();
    } else if (w instanceof io.fabric8.kubernetes.api.model.apps.ReplicaSet rs) {
      r = rs.getSpec().getReplicas();
    }
    return r == null ? 1 : r;
  }

  private void writeStatus(CapacityBuffer b, Resolution r) {
    if (b.getStatus() == null) {
      b.setStatus(new CapacityBuffer.Status());
    }
    CapacityBuffer.Status s = b.getStatus();
    if (s.conditions == null) {
      s.conditions = new ArrayList<>();
    }
    boolean ok = r.reason() == null;
    Integer replicas = ok ? r.replicas() : 0;
    boolean changed = !replicas.equals(s.replicas);
    s.replicas = replicas;
    s.podTemplateRef = b.getSpec() == null ? null : b.getSpec().podTemplateRef;
    s.provisioningStrategy = CapacityBuffer.ACTIVE_CAPACITY;
    changed |=
        Conditions.set(
            s.conditions,
            CapacityBuffer.READY_FOR_PROVISIONING,
            ok,
            ok ? "Resolved" : r.reason(),
            ok ? "keeping room for " + replicas + " pod(s)" : r.message(),
            b.getMetadata().getGeneration(),
            clock.instant());
    if (!changed) {
      return;
    }
    try {
      client.resource(b).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409 && e.getCode() != 404) {
        LOG.warn("writing CapacityBuffer {} status: {}", b.getMetadata().getName(), e.toString());
      }
    }
  }
}
