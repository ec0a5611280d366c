package dev.dovetail.demo;

import dev.dovetail.apis.v1.NodeClassReference;
import dev.dovetail.apiserver.KubeApiServer;
import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.NodeClassKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Setting up a cluster on the embedded API for a provider: its NodeClass kinds, a default
 * NodeClass, the NodePools and a burst of pods. The demo and {@code bench provisioning} set up
 * through here.
 */
public final class DemoCluster {
  /** Threads that create pods are named so CPU accounting can tell them from the controllers'. */
  public static final String SUBMITTER_THREAD = "workload-submit";

  private DemoCluster() {}

  /**
   * The provider's NodeClass kinds: from the CRD YAML in its plugin JAR when there is some, else
   * registered from the model class (schema-less). Before the operator starts: its NodeClass status
   * controller watches these kinds.
   */
  public static void registerNodeClasses(KubeApiServer api, CloudProvider provider) {
    api.registerCrds(provider.getClass().getClassLoader());
    for (NodeClassKind kind : provider.supportedNodeClasses()) {
      api.registerCustomResource(
          kind.group(),
          kind.version(),
          kind.kind(),
          HasMetadata.getPlural(kind.type()),
          io.fabric8.kubernetes.api.model.Namespaced.class.isAssignableFrom(kind.type()));
    }
  }

  /**
   * The same as {@link #registerNodeClasses(KubeApiServer, CloudProvider)} over HTTP, for a server
   * in another process: each CRD is created unless one of its name exists (the core's NodePool and
   * NodeClaim, which the plugin's class loader also sees, always do).
   */
  public static void registerNodeClasses(KubernetesClient client, CloudProvider provider) {
    List<String> crds = new ArrayList<>(KubeApiServer.crdsIn(provider.getClass().getClassLoader()));
    for (NodeClassKind kind : provider.supportedNodeClasses()) {
      crds.add(
          KubeApiServer.schemaLessCrd(
                  kind.group(),
                  kind.version(),
                  kind.kind(),
                  HasMetadata.getPlural(kind.type()),
                  io.fabric8.kubernetes.api.model.Namespaced.class.isAssignableFrom(kind.type()))
              .toString());
    }
    for (String crd : crds) {
      // A kind with CRD YAML comes first, so its schema-less stand-in then finds it and is skipped.
      create(client, client.resource(crd).item());
    }
  }

  /** Applies a NodeClass named {@code default} of the provider's first kind; returns its ref. */
  public static NodeClassReference applyNodeClass(KubernetesClient client, CloudProvider p) {
    List<NodeClassKind> kinds = p.supportedNodeClasses();
    if (kinds.isEmpty()) {
      return new NodeClassReference("karpenter.dovetail.dev", "SimulatedNodeClass", "default");
    }
    NodeClassKind kind = kinds.get(0);
    try {
      HasMetadata nodeClass = kind.type().getDeclaredConstructor().newInstance();
      nodeClass.setMetadata(new ObjectMetaBuilder().withName("default").build());
      apply(client, nodeClass);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create a " + kind.kind() + ": " + e, e);
    }
    return new NodeClassReference(kind.group(), kind.kind(), "default");
  }

  /**
   * Applies (server-side) a setup object, again after a failure (5 tries, 1 s apart). Applied, not
   * created: on a machine loaded tens of times over, the first create (CEL rules compiled on the
   * server, the JIT still starting) can outlast the client's timeout and be retried after it was
   * stored, and a controller (the NodePool status controller) may write the object meanwhile. An
   * apply is idempotent, so a retry of one that was stored is harmless.
   */
  public static void apply(KubernetesClient client, HasMetadata object) {
    for (int attempt = 1; ; attempt++) {
      try {
        client.resource(object).forceConflicts().serverSideApply();
        return;
      } catch (KubernetesClientException e) {
        if (attempt == 5) {
          throw e;
        }
        try {
          Thread.sleep(1000);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * Creates the pods (or any objects) from {@code threads} threads, as a Deployment controller
   * would in a burst, in the order given. The threads take the objects one at a time from {@code
   * pods}' iterator: one that builds them as it goes ({@link Workload#stream}) has only those being
   * created alive (a task queued per object held all 50,000 pods of the benchmark at once).
   */
  public static void submit(
      KubernetesClient client, Iterable<? extends HasMetadata> pods, int threads)
      throws InterruptedException {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory named =
        r -> {
          Thread t = new Thread(r, SUBMITTER_THREAD + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    Iterator<? extends HasMetadata> next = pods.iterator();
    AtomicBoolean failed = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(threads, named);
    try {
      List<Future<?>> futures = new ArrayList<>(threads);
      for (int i = 0; i < threads; i++) {
        futures.add(
            pool.submit(
                () -> {
                  while (!failed.get()) {
                    HasMetadata pod;
                    synchronized (next) {
                      if (!next.hasNext()) {
                        return;
                      }
                      pod = next.next();
                    }
                    try {
                      create(client, pod);
                    } catch (RuntimeException e) {
                      failed.set(true); // the others stop: the burst has failed
                      throw e;
                    }
                  }
                }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException(
              "creating an object failed: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Creates an object; an AlreadyExists answer means the client retried a create the server had
   * already done (a timeout on a loaded machine), so the object is there as sent.
   */
  public static void create(KubernetesClient client, HasMetadata object) {
    try {
      client.resource(object).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }
}
