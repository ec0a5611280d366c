package dev.dovetail.provider;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.NodeClassRef;
import dev.dovetail.cloudprovider.NodePoolInfo;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Quantities;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.UnavailableOfferings;
import dev.dovetail.translate.RequirementsTranslator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The core's single door to the loaded provider: resolves NodeClasses, applies the
 * unavailable-offerings cache to instance types, and converts API objects to the plugin's view.
 */
public final class CloudProviderFacade {
  private final CloudProvider provider;
  private final KubernetesClient client;
  private final Function<NodeClassReference, Optional<Object>> nodeClassesOffline;
  private final UnavailableOfferings unavailable;
  private final NodeClassCache cache;

  /** A facade that reads NodeClasses from the API server on each lookup (tools, tests). */
  public CloudProviderFacade(
      CloudProvider provider, KubernetesClient client, UnavailableOfferings unavailable) {
    this(provider, client, unavailable, null);
  }

  /**
   * A facade that reads NodeClasses from {@code cache} (the operator's: a watch per NodeClass
   * kind), so a provisioning pass sends no NodeClass GETs; kinds the cache does not watch are read
   * from the API server.
   */
  public CloudProviderFacade(
      CloudProvider provider,
      KubernetesClient client,
      UnavailableOfferings unavailable,
      NodeClassCache cache) {
    this.provider = provider;
    this.client = client;
    this.nodeClassesOffline = null;
    this.unavailable = unavailable;
    this.cache = cache;
  }

  /**
   * A facade that resolves NodeClasses without an API server ({@code dovetail simulate} on files):
   * {@code nodeClasses} answers each reference.
   */
  public CloudProviderFacade(
      CloudProvider provider,
      Function<NodeClassReference, Optional<Object>> nodeClasses,
      UnavailableOfferings unavailable) {
    this.provider = provider;
    this.client = null;
    this.nodeClassesOffline = nodeClasses;
    this.unavailable = unavailable;
    this.cache = null;
  }

  public CloudProvider provider() {
    return provider;
  }

  public UnavailableOfferings unavailableOfferings() {
    return unavailable;
  }

  /** The NodeClass kind a reference names, if this provider reads it. */
  public Optional<NodeClassKind> kindOf(NodeClassReference ref) {
    if (ref == null) {
      return Optional.empty();
    }
    return provider.supportedNodeClasses().stream()
        .filter(k -> k.matches(ref.getGroup(), ref.getKind()))
        .findFirst();
  }

  /**
   * The NodeClass object a reference names. Empty when the provider reads no NodeClass kinds (the
   * simulated cloud needs none) or the object does not exist.
   */
  public Optional<Object> nodeClass(NodeClassReference ref) {
    Optional<NodeClassKind> kind = kindOf(ref);
    if (kind.isEmpty()) {
      return Optional.empty();
    }
    if (nodeClassesOffline != null) {
      return nodeClassesOffline.apply(ref);
    }
    if (cache != null && cache.watches(kind.get())) {
      return cache.get(kind.get(), ref.getName()).map(o -> (Object) o);
    }
    try {
      HasMetadata obj = client.resources(kind.get().type()).withName(ref.getName()).get();
      return Optional.ofNullable(obj);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Whether the NodePool's NodeClass is usable: either the provider reads no NodeClass kinds, or
   * the referenced one exists and its {@code Ready} condition is True.
   */
  public boolean nodeClassResolvable(NodePool pool) {
    return nodeClassReadiness(pool).ready();
  }

  /**
   * Readiness without an API server ({@code dovetail simulate} on files): nothing has written a
   * status, so ask the provider for the status it would write.
   */
  private NodeClassReadiness offlineReadiness(NodeClassReference ref, NodeClassKind kind) {
    Optional<Object> nodeClass = nodeClassesOffline.apply(ref);
    if (nodeClass.isEmpty()) {
      return new NodeClassReadiness(
          false,
          "NodeClassNotFound",
          kind.kind() + " " + ref.getName() + " the NodePool references does not exist");
    }
    return provider
        .nodeClassStatus(nodeClass.get())
        .filter(s -> !s.isReady())
        .map(
            s ->
                new NodeClassReadiness(
                    false,
                    "NodeClassNotReady",
                    kind.kind() + " " + ref.getName() + " is not ready: " + s.notReadyMessage()))
        .orElse(NodeClassReadiness.READY);
  }

  /** Whether a NodePool's NodeClass is Ready, and if not, why (upstream's NodeClassReady). */
  public record NodeClassReadiness(boolean ready, String reason, String message) {
    static final NodeClassReadiness READY = new NodeClassReadiness(true, "NodeClassReady", "");
  }

  /**
   * The NodePool's NodeClass readiness: Ready when the provider reads no NodeClass kinds; otherwise
   * the NodeClass must exist and carry {@code Ready=True} (written by the NodeClass status
   * controller from the provider's resolved status).
   */
  public NodeClassReadiness nodeClassReadiness(NodePool pool) {
    NodeClassReference ref = pool.getSpec().getTemplate().getSpec().getNodeClassRef();
    if (provider.supportedNodeClasses().isEmpty()) {
      return NodeClassReadiness.READY;
    }
    Optional<NodeClassKind> kind = kindOf(ref);
    if (kind.isEmpty()) {
      return new NodeClassReadiness(
          false,
          "NodeClassNotFound",
          "provider "
              + provider.name()
              + " does not read NodeClass "
              + (ref == null ? "(none)" : ref.getGroup() + "/" + ref.getKind()));
    }
    if (nodeClassesOffline != null) {
      return offlineReadiness(ref, kind.get());
    }
    GenericKubernetesResource obj = generic(kind.get(), ref.getName());
    if (obj == null) {
      return new NodeClassReadiness(
          false,
          "NodeClassNotFound",
          kind.get().kind() + " " + ref.getName() + " the NodePool references does not exist");
    }
    Object status = obj.getAdditionalProperties().get("status");
    if (status instanceof Map<?, ?> m && m.get("conditions") instanceof List<?> conditions) {
      for (Object c : conditions) {
        if (c instanceof Map<?, ?> cond && "Ready".equals(cond.get("type"))) {
          if ("True".equals(cond.get("status"))) {
            return NodeClassReadiness.READY;
          }
          Object message = cond.get("message");
          return new NodeClassReadiness(
              false,
              "NodeClassNotReady",
              kind.get().kind()
                  + " "
                  + ref.getName()
                  + " is not ready"
                  + (message == null || message.toString().isBlank() ? "" : ": " + message));
        }
      }
    }
    return new NodeClassReadiness(
        false,
        "NodeClassNotReady",
        kind.get().kind() + " " + ref.getName() + " has no Ready condition yet");
  }

  /** The NodeClass as a generic object (its status read as written), from the cache if watched. */
  private GenericKubernetesResource generic(NodeClassKind kind, String name) {
    if (cache != null && cache.watches(kind)) {
      return cache.generic(kind, name).orElse(null);
    }
    try {
      return client
          .genericKubernetesResources(ResourceDefinitionContext.fromResourceType(kind.type()))
          .withName(name)
          .get();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      return null;
    }
  }

  /**
   * The NodeOverlays applied to every {@link #instanceTypes} answer from now on (the NodeOverlay
   * controller publishes the valid ones; {@link NodeOverlays#NONE} while the gate is off).
   */
  public void useNodeOverlays(NodeOverlays current) {
    this.overlays = current == null ? NodeOverlays.NONE : current;
  }

  private volatile NodeOverlays overlays = NodeOverlays.NONE;

  /**
   * The pool's instance types as the provisioner and consolidation see them: offerings the cloud
   * recently refused marked unavailable, NodeOverlay prices and capacity applied.
   */
  public List<InstanceType> instanceTypes(NodePool pool) {
    Map<String, String> labels =
        pool.getSpec().getTemplate().getMetadata() == null
                || pool.getSpec().getTemplate().getMetadata().getLabels() == null
            ? Map.of()
            : pool.getSpec().getTemplate().getMetadata().getLabels();
    return overlays.apply(pool.getMetadata().getName(), labels, instanceTypesWithoutOverlays(pool));
  }

  /** The pool's instance types before NodeOverlays (what overlays are validated against). */
  public List<InstanceType> instanceTypesWithoutOverlays(NodePool pool) {
    NodeClassReference ref = pool.getSpec().getTemplate().getSpec().getNodeClassRef();
    Object nodeClass = nodeClass(ref).orElse(null);
    NodePoolInfo info =
        new NodePoolInfo(
            pool.getMetadata().getName(),
            RequirementsTranslator.fromApi(
                pool.getSpec().getTemplate().getSpec().getRequirements()),
            pool.getSpec().getTemplate().getMetadata() == null
                ? Map.of()
                : pool.getSpec().getTemplate().getMetadata().getLabels(),
            ref == null ? null : new NodeClassRef(ref.getGroup(), ref.getKind(), ref.getName()));
    List<InstanceType> types = provider.instanceTypes(info, nodeClass);
    if (unavailable.isEmpty()) {
      return types;
    }
    List<InstanceType> out = new ArrayList<>(types.size());
    for (InstanceType it : types) {
      boolean changed = false;
      List<Offering> offerings = new ArrayList<>(it.offerings().size());
      for (Offering o : it.offerings()) {
        if (o.available() && unavailable.isUnavailable(o.key(it.name()))) {
          offerings.add(o.withAvailable(false));
          changed = true;
        } else {
          offerings.add(o);
        }
      }
      out.add(
          changed
              ? new InstanceType(
                  it.name(), it.requirements(), offerings, it.capacity(), it.overhead())
              : it);
    }
    return out;
  }

  /** The plugin's view of a NodeClaim. */
  public NodeClaimView view(NodeClaim claim) {
    NodeClassReference ref = claim.getSpec().getNodeClassRef();
    Object nodeClass = nodeClass(ref).orElse(null);
    Map<String, String> labels =
        claim.getMetadata().getLabels() == null ? Map.of() : claim.getMetadata().getLabels();
    Resources requests =
        claim.getSpec().getResources() == null
            ? Resources.EMPTY
            : resources(claim.getSpec().getResources().getRequests());
    return new NodeClaimView(
        claim.getMetadata().getName(),
        labels.get(dev.dovetail.cloudprovider.WellKnownLabels.NODE_POOL),
        labels,
        claim.getMetadata().getAnnotations(),
        TaintConversions.toModel(claim.getSpec().getTaints()),
        TaintConversions.toModel(claim.getSpec().getStartupTaints()),
        RequirementsTranslator.fromApi(claim.getSpec().getRequirements()),
        requests,
        ref == null ? null : new NodeClassRef(ref.getGroup(), ref.getKind(), ref.getName()),
        nodeClass,
        claim.getStatus() == null ? null : claim.getStatus().getProviderID(),
        claim.getStatus() == null ? null : claim.getStatus().getImageID());
  }

  /**
   * The hourly price of a launched NodeClaim: its offering's price (instance type, zone and
   * capacity type from its labels), or 0 when it has not launched or the offering is unknown.
   */
  public double price(NodeClaim claim) {
    Map<String, String> labels = claim.getMetadata().getLabels();
    if (labels == null) {
      return 0;
    }
    String type = labels.get(dev.dovetail.cloudprovider.WellKnownLabels.INSTANCE_TYPE);
    String zone = labels.get(dev.dovetail.cloudprovider.WellKnownLabels.ZONE);
    String capacityType = labels.get(dev.dovetail.cloudprovider.WellKnownLabels.CAPACITY_TYPE);
    if (type == null || zone == null || capacityType == null) {
      return 0;
    }
    NodeClassReference ref = claim.getSpec().getNodeClassRef();
    NodePoolInfo info =
        new NodePoolInfo(
            labels.get(dev.dovetail.cloudprovider.WellKnownLabels.NODE_POOL),
            null,
            null,
            ref == null ? null : new NodeClassRef(ref.getGroup(), ref.getKind(), ref.getName()));
    for (InstanceType it : provider.instanceTypes(info, nodeClass(ref).orElse(null))) {
      if (it.name().equals(type)) {
        return it.price(zone, capacityType).orElse(0);
      }
    }
    return 0;
  }

  public Instance create(NodeClaim claim) {
    return provider.create(view(claim));
  }

  public static Resources resources(Map<String, Quantity> quantities) {
    if (quantities == null || quantities.isEmpty()) {
      return Resources.EMPTY;
    }
    Map<String, String> m = new HashMap<>();
    quantities.forEach((k, v) -> m.put(k, v.toString()));
    return Resources.parse(m);
  }

  public static Map<String, Quantity> quantities(Resources resources) {
    Map<String, Quantity> m = new java.util.TreeMap<>();
    resources.asMap().forEach((k, v) -> m.put(k, new Quantity(Quantities.format(k, v))));
    return m;
  }
}
