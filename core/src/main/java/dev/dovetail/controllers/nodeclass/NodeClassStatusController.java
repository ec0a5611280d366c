package dev.dovetail.controllers.nodeclass;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.NodeClassStatus;
import dev.dovetail.controllers.ControllerErrors;
import dev.dovetail.kube.EventRecorder;
import dev.dovetail.provider.NodeClassCache;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Karpenter's NodeClass status and termination controllers, for every NodeClass kind the provider
 * reads: on each change (and every {@code resync}) it asks the provider for the NodeClass's
 * resolved status ({@link CloudProvider#nodeClassStatus}) and writes it to {@code .status}; it
 * holds a finalizer and, once the NodeClass is deleted and no NodeClaim references it any more,
 * calls {@link CloudProvider#finalizeNodeClass} and releases the finalizer.
 *
 * <p>It keeps only its steps: {@link #drain} (the changed NodeClasses) and {@link #resyncAll}; the
 * operator runs both as {@link dev.dovetail.controllers.PeriodicController}s.
 *
 * <p>A provider failure keeps the last written status (never turning it Ready), is logged at WARN
 * and counted; the next change or resync retries.
 */
public final class NodeClassStatusController {
  private static final Logger LOG = LoggerFactory.getLogger(NodeClassStatusController.class);
  static final String CONTROLLER = "nodeclass";

  private final KubernetesClient client;
  private final CloudProvider provider;
  private final ClusterState state;
  private final EventRecorder events;
  private final Clock clock;
  private final ControllerErrors errors;
  private final NodeClassStatusWriter writer;
  private final NodeClassCache cache;
  private final Set<Key> queued = new LinkedHashSet<>();
  // finalizations to retry, by when (System.nanoTime): a provider failure is retried in 5 s
  private final Map<Key, Long> retries = new HashMap<>();
  private volatile Runnable onChange = () -> {};

  private record Key(NodeClassKind kind, String namespace, String name) {}

  public NodeClassStatusController(
      KubernetesClient client,
      CloudProvider provider,
      ClusterState state,
      EventRecorder events,
      Clock clock,
      ControllerErrors errors,
      NodeClassCache cache) {
    this.client = client;
    this.provider = provider;
    this.state = state;
    this.events = events;
    this.clock = clock;
    this.errors = errors;
    this.cache = cache;
    this.writer = new NodeClassStatusWriter(client.getKubernetesSerialization());
  }

  /** The finalizer this controller holds on NodeClasses of a group (upstream's naming). */
  public static String finalizer(NodeClassKind kind) {
    return kind.group() + "/termination";
  }

  /**
   * Follows the NodeClasses through the cache's watch (one informer per kind, shared with
   * provisioning's lookups) and the NodeClaims through the cluster state.
   *
   * @param onChange called on every NodeClass change (its readiness may have changed)
   */
  public NodeClassStatusController watch(Runnable onChange) {
    this.onChange = onChange;
    for (NodeClassKind kind : cache.kinds()) {
      cache.addHandler(kind, handler(kind));
    }
    // A NodeClaim going away may release a deleting NodeClass's finalizer.
    state.addListener(
        obj -> {
          if (obj instanceof NodeClaim claim && claim.getSpec() != null) {
            NodeClassReference ref = claim.getSpec().getNodeClassRef();
            for (NodeClassKind kind : cache.kinds()) {
              if (ref != null && kind.matches(ref.getGroup(), ref.getKind())) {
                // only a NodeClass waiting on its NodeClaims needs another look
                Key key = new Key(kind, null, ref.getName());
                cache
                    .generic(kind, ref.getName())
                    .filter(nc -> nc.getMetadata().getDeletionTimestamp() != null)
                    .ifPresent(nc -> enqueue(key));
              }
            }
          }
        });
    return this;
  }

  private ResourceEventHandler<GenericKubernetesResource> handler(NodeClassKind kind) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource obj) {
        enqueue(key(kind, obj));
        onChange.run();
      }

      @Override
      public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
        enqueue(key(kind, newObj));
        onChange.run();
      }

      @Override
      public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
        onChange.run();
      }
    };
  }

  private static Key key(NodeClassKind kind, HasMetadata obj) {
    return new Key(kind, obj.getMetadata().getNamespace(), obj.getMetadata().getName());
  }

  private void enqueue(Key key) {
    synchronized (queued) {
      queued.add(key);
    }
  }

  /** Resolves every NodeClass again (the resync: a provider-side change has no watch event). */
  public void resyncAll() {
    for (NodeClassKind kind : cache.kinds()) {
      for (HasMetadata obj : cache.list(kind)) {
        enqueue(key(kind, obj));
      }
    }
  }

  /** Reconciles every NodeClass that changed since the last call (and finalizations now due). */
  public void drain() {
    long now = System.nanoTime();
    List<Key> batch;
    synchronized (queued) {
      retries
          .entrySet()
          .removeIf(
              e -> {
                if (now - e.getValue() >= 0) {
                  queued.add(e.getKey());
                  return true;
                }
                return false;
              });
      batch = new ArrayList<>(queued);
      queued.clear();
    }
    for (Key key : batch) {
      try {
        reconcile(key);
      } catch (RuntimeException e) {
        LOG.warn("NodeClass {}/{}: {}", key.kind().kind(), key.name(), e.toString());
        errors.error(CONTROLLER, "ReconcileError");
      }
    }
  }

  private Optional<HasMetadata> cached(Key key) {
    return cache.get(key.kind(), key.name());
  }

  private Resource<GenericKubernetesResource> generic(Key key) {
    var resources =
        client.genericKubernetesResources(
            ResourceDefinitionContext.fromResourceType(key.kind().type()));
    return key.namespace() == null
        ? resources.withName(key.name())
        : resources.inNamespace(key.namespace()).withName(key.name());
  }

  /** One NodeClass: finalize it when deleted, else ensure the finalizer and write the status. */
  void reconcile(Key key) {
    Optional<HasMetadata> found = cached(key);
    if (found.isEmpty()) {
      return;
    }
    HasMetadata nodeClass = found.get();
    String finalizer = finalizer(key.kind());
    if (nodeClass.getMetadata().getDeletionTimestamp() != null) {
      if (nodeClass.getFinalizers().contains(finalizer)) {
        finalize(key, nodeClass, finalizer);
      }
      return;
    }
    if (!nodeClass.getFinalizers().contains(finalizer)) {
      generic(key)
          .edit(
              g -> {
                if (!g.getFinalizers().contains(finalizer)) {
                  g.getMetadata().getFinalizers().add(finalizer);
                }
                return g;
              });
    }
    NodeClassStatus status;
    try {
      status =
          provider.nodeClassStatus(nodeClass).orElse(NodeClassStatus.ready(java.util.Map.of()));
    } catch (RuntimeException e) {
      LOG.warn(
          "{} {}: provider could not resolve its status, keeping the last one: {}",
          key.kind().kind(),
          key.name(),
          e.toString());
      errors.error(CONTROLLER, "ProviderError");
      events.warning(nodeClass, "NodeClassStatusFailed", "Resolving status: " + e.getMessage());
      return;
    }
    GenericKubernetesResource current = generic(key).get();
    if (current == null || current.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    if (!writer.merge(current, status, clock.instant())) {
      return;
    }
    try {
      client
          .genericKubernetesResources(ResourceDefinitionContext.fromResourceType(key.kind().type()))
          .resource(current)
          .updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        enqueue(key); // changed meanwhile; the next pass reads the new version
        return;
      }
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private void finalize(Key key, HasMetadata nodeClass, String finalizer) {
    List<String> users = new ArrayList<>();
    for (NodeClaim claim : state.nodeClaims()) {
      NodeClassReference ref = claim.getSpec() == null ? null : claim.getSpec().getNodeClassRef();
      if (ref != null
          && key.kind().matches(ref.getGroup(), ref.getKind())
          && key.name().equals(ref.getName())) {
        users.add(claim.getMetadata().getName());
      }
    }
    if (!users.isEmpty()) {
      events.normal(
          nodeClass,
          "WaitingOnNodeClaimTermination",
          "Waiting on NodeClaim termination for "
              + String.join(", ", users.stream().sorted().limit(5).toList()));
      return; // the NodeClaims' deletion re-enqueues this NodeClass
    }
    try {
      provider.finalizeNodeClass(nodeClass);
    } catch (RuntimeException e) {
      LOG.warn(
          "{} {}: finalizing failed, retrying: {}", key.kind().kind(), key.name(), e.toString());
      errors.error(CONTROLLER, "FinalizeError");
      events.warning(nodeClass, "FinalizeFailed", e.getMessage());
      synchronized (queued) {
        retries.put(key, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
      }
      return;
    }
    try {
      generic(key)
          .edit(
              g -> {
                g.getMetadata().getFinalizers().remove(finalizer);
                return g;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
