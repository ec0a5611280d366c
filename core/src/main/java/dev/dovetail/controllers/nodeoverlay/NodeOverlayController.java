package dev.dovetail.controllers.nodeoverlay;

import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apis.v1alpha1.NodeOverlay;
import dev.dovetail.apis.v1alpha1.NodeOverlayStatus;
import dev.dovetail.kube.Conditions;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.provider.NodeOverlays;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's nodeoverlay and nodeoverlay/validation controllers (gate {@code NodeOverlay}): reads
 * every NodeOverlay, validates it (runtime validation, then conflicts between overlays of equal
 * weight), writes {@code ValidationSucceeded} and {@code Ready} on each, and hands the valid ones
 * to {@link CloudProviderFacade#useNodeOverlays}, so the provisioner and consolidation price and
 * size instance types with them. When the NodeOverlays cannot be listed the previous set stays in
 * force (an API failure is not "no overlays").
 */
public final class NodeOverlayController {
  private static final Logger LOG = LoggerFactory.getLogger(NodeOverlayController.class);

  /**
   * @param enabled whether NodeOverlays are read and applied (upstream's NodeOverlay gate)
   * @param pollInterval how often they are re-read
   */
  public record Options(boolean enabled, Duration pollInterval) {
    public static final Options DEFAULT = new Options(false, Duration.ofSeconds(10));
  }

  /** One pass: the overlays applied, and the invalid ones with the reason. */
  public record Result(List<String> applied, Map<String, String> invalid) {}

  private final KubernetesClient client;
  private final ClusterState state;
  private final CloudProviderFacade cloud;
  private final Clock clock;
  private final Options options;

  public NodeOverlayController(
      KubernetesClient client,
      ClusterState state,
      CloudProviderFacade cloud,
      Clock clock,
      Options options) {
    this.client = client;
    this.state = state;
    this.cloud = cloud;
    this.clock = clock;
    this.options = options;
  }

  public Result reconcileOnce() {
    List<NodeOverlay> all;
    try {
      all = client.resources(NodeOverlay.class).list().getItems();
    } catch (KubernetesClientException e) {
      LOG.warn("listing NodeOverlays: {}; keeping the overlays in force", e.toString());
      return new Result(List.of(), Map.of());
    }
    Map<String, String> invalid = new LinkedHashMap<>();
    List<NodeOverlays.Overlay> parsed = new ArrayList<>();
    for (NodeOverlay o : all) {
      try {
        parsed.add(NodeOverlays.parse(o));
      } catch (IllegalArgumentException e) {
        invalid.put(o.getMetadata().getName(), "RuntimeValidation: " + e.getMessage());
      }
    }
    List<NodeOverlayConflicts.Pool> pools = new ArrayList<>();
    for (NodePool p : state.nodePools()) {
      if (p.getMetadata().getDeletionTimestamp() != null || !cloud.nodeClassResolvable(p)) {
        continue;
      }
      var meta = p.getSpec().getTemplate().getMetadata();
      pools.add(
          new NodeOverlayConflicts.Pool(
              p.getMetadata().getName(),
              meta == null || meta.getLabels() == null ? Map.of() : meta.getLabels(),
              cloud.instanceTypesWithoutOverlays(p)));
    }
    Set<String> conflicting = NodeOverlayConflicts.find(parsed, pools);
    conflicting.forEach(n -> invalid.put(n, "Conflict: conflict with another overlay"));
    List<NodeOverlays.Overlay> valid =
        parsed.stream().filter(o -> !conflicting.contains(o.name())).toList();
    NodeOverlays applied = new NodeOverlays(valid);
    cloud.useNodeOverlays(applied);
    Instant now = clock.instant();
    for (NodeOverlay o : all) {
      writeStatus(o, invalid.get(o.getMetadata().getName()), now);
    }
    return new Result(
        applied.overlays().stream().map(NodeOverlays.Overlay::name).toList(), Map.copyOf(invalid));
  }

  private void writeStatus(NodeOverlay o, String problem, Instant now) {
    if (o.getStatus() == null) {
      o.setStatus(new NodeOverlayStatus());
    }
    if (o.getStatus().conditions == null) {
      o.getStatus().conditions = new ArrayList<>();
    }
    String reason = problem == null ? null : problem.substring(0, problem.indexOf(':'));
    String message = problem == null ? "" : problem.substring(problem.indexOf(':') + 2);
    Long gen = o.getMetadata().getGeneration();
    boolean changed =
        Conditions.set(
            o.getStatus().conditions,
            NodeOverlay.VALIDATION_SUCCEEDED,
            problem == null,
            problem == null ? NodeOverlay.VALIDATION_SUCCEEDED : reason,
            message,
            gen,
            now);
    changed |=
        Conditions.set(
            o.getStatus().conditions,
            NodeOverlay.READY,
            problem == null,
            problem == null ? NodeOverlay.READY : "ValidationFailed",
            message,
            gen,
            now);
    if (!changed) {
      return;
    }
    try {
      client.resource(o).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409 && e.getCode() != 404) {
        LOG.warn("writing NodeOverlay {} status: {}", o.getMetadata().getName(), e.toString());
      }
    }
  }
}
