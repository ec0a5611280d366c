package dev.dovetail.clusterapi;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.NodeClassStatus;
import dev.dovetail.cloudprovider.NodePoolInfo;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.clusterapi.capi.CapiApi;
import dev.dovetail.clusterapi.capi.Machines;
import dev.dovetail.clusterapi.capi.ScalableResources;
import dev.dovetail.clusterapi.instancetype.InstanceTypeResolver;
import dev.dovetail.clusterapi.instancetype.ResolvedResource;
import dev.dovetail.clusterapi.machine.DriftDetector;
import dev.dovetail.clusterapi.machine.MachineClaimer;
import dev.dovetail.clusterapi.machine.MachineJanitor;
import dev.dovetail.clusterapi.machine.MachineReleaser;
import dev.dovetail.clusterapi.v1alpha1.ClusterAPINodeClass;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cluster API bridge: NodeClaims become CAPI Machines of the MachineDeployments, MachineSets
 * and MachinePools a {@link ClusterAPINodeClass} selects, in a management cluster that may be the
 * workload cluster itself or another one ({@code managementKubeconfig}).
 *
 * <p>Instance types: {@link InstanceTypeResolver}; create: {@link MachineClaimer}; delete: {@link
 * MachineReleaser}; drift: {@link DriftDetector}; clean-up: {@link MachineJanitor}.
 */
@Extension
public class ClusterApiCloudProvider
    implements CloudProvider, dev.dovetail.cloudprovider.NodeGroupScaler {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterApiCloudProvider.class);
  static final NodeClassKind NODE_CLASS = NodeClassKind.of(ClusterAPINodeClass.class);

  private final KubernetesClient injected;
  private volatile Runtime runtime;
  // ScalableNodeGroup (autoscaling.karpenter.sh/v1alpha1) for MachineDeployments
  private volatile dev.dovetail.clusterapi.capi.MachineDeploymentNodeGroups nodeGroups;

  /** For PF4J: the management cluster's client is built at {@link #start}. */
  public ClusterApiCloudProvider() {
    this(null);
  }

  /** With the management cluster's client given (tests, or an embedding that has one). */
  public ClusterApiCloudProvider(KubernetesClient management) {
    this.injected = management;
  }

  /** Everything start builds; replaced as a whole, never mutated. */
  private record Runtime(
      KubernetesClient client,
      boolean ownsClient,
      ClusterApiSettings settings,
      ScalableResources resources,
      ResolvedResourceCache cache,
      MachineClaimer claimer,
      MachineReleaser releaser,
      MachineJanitor janitor,
      DriftDetector drift,
      Machines machines,
      NodeClassStatusResolver statusResolver,
      ScheduledExecutorService sweeper) {}

  @Override
  public String name() {
    return "clusterapi";
  }

  @Override
  public String status() {
    return "functional: NodeClaims as Cluster API Machines (MachineDeployment, MachineSet,"
        + " MachinePool)";
  }

  @Override
  public List<NodeClassKind> supportedNodeClasses() {
    return List.of(NODE_CLASS);
  }

  @Override
  public void start(ProviderContext context) {
    ClusterApiSettings settings = ClusterApiSettings.from(context);
    boolean owns = injected == null;
    KubernetesClient client = owns ? managementClient(settings) : injected;
    CapiApi api =
        settings
            .capiVersion()
            .map(v -> new CapiApi(client, v))
            .orElseGet(() -> new CapiApi(client));
    InstanceTypeResolver resolver = new InstanceTypeResolver(api, settings.instanceTypeDefaults());
    ScalableResources resources = new ScalableResources(api);
    MachineReleaser releaser = new MachineReleaser(api, context.clock(), settings.machineWait());
    MachineJanitor janitor =
        new MachineJanitor(
            api, releaser, context.nodes(), context.clock(), settings.registrationTtl());
    ResolvedResourceCache cache =
        new ResolvedResourceCache(
            resources, resolver, settings.cacheTtl(), settings.namespace().orElse(null));
    ScheduledExecutorService sweeper = null;
    if (!settings.sweepInterval().isZero()) {
      sweeper =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "clusterapi-janitor");
                t.setDaemon(true);
                return t;
              });
      long every = settings.sweepInterval().toMillis();
      sweeper.scheduleWithFixedDelay(
          () -> {
            try {
              janitor.sweep();
            } catch (RuntimeException e) {
              LOG.warn("Cluster API clean-up pass failed (retried next pass): {}", e.toString());
            }
          },
          every,
          every,
          TimeUnit.MILLISECONDS);
    }
    LOG.info("Cluster API bridge on {} ({})", client.getMasterUrl(), api.version());
    this.nodeGroups =
        new dev.dovetail.clusterapi.capi.MachineDeploymentNodeGroups(
            api, settings.namespace().orElse(null));
    this.runtime =
        new Runtime(
            client,
            owns,
            settings,
            resources,
            cache,
            new MachineClaimer(api, context.clock(), settings.machineWait()),
            releaser,
            janitor,
            new DriftDetector(api),
            new Machines(api),
            new NodeClassStatusResolver(cache),
            sweeper);
  }

  /** The management cluster: from the kubeconfig file when set, else in-cluster/default. */
  static KubernetesClient managementClient(ClusterApiSettings settings) {
    if (settings.managementKubeconfig().isEmpty()) {
      return new KubernetesClientBuilder().build();
    }
    Path path = Path.of(settings.managementKubeconfig().get());
    String content;
    try {
      content = Files.readString(path);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "provider setting managementKubeconfig: cannot read " + path + ": " + e.getMessage(), e);
    }
    Config config;
    try {
      config = Config.fromKubeconfig(null, content, path.toString());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "provider setting managementKubeconfig: "
              + path
              + " is not a usable kubeconfig: "
              + e.getMessage(),
          e);
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @Override
  public void close() {
    Runtime rt = runtime;
    if (rt == null) {
      return;
    }
    if (rt.sweeper() != null) {
      rt.sweeper().shutdownNow();
    }
    if (rt.ownsClient()) {
      rt.client().close();
    }
  }

  private Runtime rt() {
    Runtime rt = runtime;
    if (rt == null) {
      throw new IllegalStateException("clusterapi provider used before start()");
    }
    return rt;
  }

  @Override
  public List<InstanceType> instanceTypes(NodePoolInfo nodePool, Object nodeClass) {
    return rt().cache().resolve(asNodeClass(nodeClass)).stream()
        .filter(ResolvedResource::usable)
        .map(ResolvedResource::instanceType)
        .toList();
  }

  @Override
  public Instance create(NodeClaimView nodeClaim) {
    Runtime rt = rt();
    return rt.claimer()
        .create(
            nodeClaim,
            rt.cache().resolveFresh(asNodeClass(nodeClaim.nodeClass())),
            ref -> rt.cache().resolveOne(ref));
  }

  @Override
  public void delete(String providerId) {
    rt().releaser().delete(providerId);
  }

  @Override
  public Instance get(String providerId) {
    Runtime rt = rt();
    GenericKubernetesResource m =
        rt.machines()
            .byProviderId(providerId)
            .orElseThrow(
                () -> new NodeClaimNotFoundException("no claimed Machine has " + providerId));
    return toInstance(rt, m);
  }

  @Override
  public List<Instance> list() {
    Runtime rt = rt();
    return rt.machines().claimed().stream()
        .filter(m -> Machines.providerId(m) != null)
        .map(m -> toInstance(rt, m))
        .toList();
  }

  private static Instance toInstance(Runtime rt, GenericKubernetesResource m) {
    Optional<ResolvedResource> owner =
        DriftDetector.owner(m).flatMap(ref -> rt.cache().resolveOne(ref));
    return dev.dovetail.clusterapi.machine.Instances.of(m, owner.orElse(null));
  }

  @Override
  public Optional<String> isDrifted(NodeClaimView nodeClaim) {
    Runtime rt = rt();
    Optional<GenericKubernetesResource> m =
        nodeClaim.providerId() != null
            ? rt.machines().byProviderId(nodeClaim.providerId())
            : rt.machines().byClaim(nodeClaim.name());
    return m.flatMap(rt.drift()::drifted);
  }

  @Override
  public Optional<NodeClassStatus> nodeClassStatus(Object nodeClass) {
    return Optional.of(rt().statusResolver().status(asNodeClass(nodeClass)));
  }

  /** Runs one clean-up pass now (the janitor also runs every {@code sweepInterval}). */
  public MachineJanitor.Sweep sweep() {
    return rt().janitor().sweep();
  }

  private static ClusterAPINodeClass asNodeClass(Object nodeClass) {
    if (nodeClass == null || nodeClass instanceof ClusterAPINodeClass) {
      return (ClusterAPINodeClass) nodeClass;
    }
    throw new IllegalArgumentException(
        "clusterapi reads ClusterAPINodeClass, got " + nodeClass.getClass().getName());
  }

  // ---- autoscaling.karpenter.sh/v1alpha1 ScalableNodeGroup

  @Override
  public java.util.Set<String> supportedNodeGroupTypes() {
    return java.util.Set.of(dev.dovetail.clusterapi.capi.MachineDeploymentNodeGroups.TYPE);
  }

  @Override
  public int replicas(String type, String id) {
    return startedNodeGroups().replicas(type, id);
  }

  @Override
  public void setReplicas(String type, String id, int replicas) {
    startedNodeGroups().setReplicas(type, id, replicas);
  }

  private dev.dovetail.clusterapi.capi.MachineDeploymentNodeGroups startedNodeGroups() {
    var ng = nodeGroups;
    if (ng == null) {
      throw new IllegalStateException("the clusterapi provider is not started");
    }
    return ng;
  }
}
