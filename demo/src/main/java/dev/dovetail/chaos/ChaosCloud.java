package dev.dovetail.chaos;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.CloudProviderException;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeClassKind;
import dev.dovetail.cloudprovider.NodeClassStatus;
import dev.dovetail.cloudprovider.NodePoolInfo;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.RepairPolicy;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One cloud that outlives the operators started on it: the first {@code start} starts the real
 * provider with a context whose interruption listener forwards to the operator currently running,
 * later starts (a new operator after a kill) only switch that target, and {@code close} from an
 * operator is ignored (a killed operator does not tear the cloud down). While faults are on, a
 * seeded share of create/delete/list/get calls fail as a throttled or failing cloud API would.
 */
final class ChaosCloud implements CloudProvider {
  private final CloudProvider cloud;
  private final AtomicReference<InterruptionListener> target = new AtomicReference<>();
  private final AtomicLong injected = new AtomicLong();
  private final Random random;
  private volatile double errorRate;
  private boolean started;

  ChaosCloud(CloudProvider cloud, long seed) {
    this.cloud = cloud;
    this.random = new Random(seed);
  }

  /** Fails this share (0..1) of cloud calls from now on; 0 stops the faults. */
  void errorRate(double rate) {
    this.errorRate = rate;
  }

  long injected() {
    return injected.get();
  }

  /**
   * Interrupts a spot instance (warning, then reclaim) when the provider offers the simulated
   * cloud's {@code interrupt(providerId)} hook; returns whether it did.
   */
  boolean interruptSpot(Random pick) {
    List<Instance> spot =
        cloud.list().stream()
            .filter(i -> "spot".equals(i.capacityType()) && "running".equals(i.state()))
            .toList();
    if (spot.isEmpty()) {
      return false;
    }
    Instance victim = spot.get(pick.nextInt(spot.size()));
    try {
      Object target = pluginObject(cloud);
      Method interrupt = target.getClass().getMethod("interrupt", String.class);
      interrupt.invoke(target, victim.providerId());
      injected.incrementAndGet();
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The plugin's own object behind the core's context-class-loader proxy, where the simulated
   * cloud's {@code interrupt} hook lives (the proxy exposes the SPI only).
   */
  private static Object pluginObject(CloudProvider provider) throws ReflectiveOperationException {
    if (!Proxy.isProxyClass(provider.getClass())) {
      return provider;
    }
    Object handler = Proxy.getInvocationHandler(provider);
    java.lang.reflect.Field delegate = handler.getClass().getDeclaredField("delegate");
    delegate.setAccessible(true);
    return delegate.get(handler);
  }

  private void maybeFail(String call) {
    double rate = errorRate;
    if (rate <= 0) {
      return;
    }
    boolean fail;
    synchronized (random) {
      fail = random.nextDouble() < rate;
    }
    if (fail) {
      injected.incrementAndGet();
      throw new CloudProviderException("chaos: " + call + " failed (throttled / 5xx)");
    }
  }

  /** Stops the real provider at the end of the run. */
  void shutdown() {
    cloud.close();
  }

  @Override
  public synchronized void start(ProviderContext context) {
    target.set(context.interruptions());
    if (!started) {
      started = true;
      cloud.start(
          new ProviderContext(
              context.clusterName(),
              context.settings(),
              context.clock(),
              context.nodes(),
              event -> target.get().onInterruption(event)));
    }
  }

  @Override
  public void close() {
    // an operator's close (or kill) leaves the cloud running; shutdown() ends it
  }

  @Override
  public String name() {
    return cloud.name();
  }

  @Override
  public boolean functional() {
    return cloud.functional();
  }

  @Override
  public String status() {
    return cloud.status();
  }

  @Override
  public List<NodeClassKind> supportedNodeClasses() {
    return cloud.supportedNodeClasses();
  }

  @Override
  public Instance create(NodeClaimView nodeClaim) {
    maybeFail("create");
    return cloud.create(nodeClaim);
  }

  @Override
  public void delete(String providerId) {
    maybeFail("delete");
    cloud.delete(providerId);
  }

  @Override
  public Instance get(String providerId) {
    maybeFail("get");
    return cloud.get(providerId);
  }

  @Override
  public List<Instance> list() {
    maybeFail("list");
    return cloud.list();
  }

  /** The cloud's instances without faults, for the invariant checks. */
  List<Instance> listQuietly() {
    return cloud.list();
  }

  @Override
  public List<InstanceType> instanceTypes(NodePoolInfo nodePool, Object nodeClass) {
    return cloud.instanceTypes(nodePool, nodeClass);
  }

  @Override
  public Optional<String> isDrifted(NodeClaimView nodeClaim) {
    return cloud.isDrifted(nodeClaim);
  }

  @Override
  public Optional<NodeClassStatus> nodeClassStatus(Object nodeClass) {
    return cloud.nodeClassStatus(nodeClass);
  }

  @Override
  public void finalizeNodeClass(Object nodeClass) {
    cloud.finalizeNodeClass(nodeClass);
  }

  @Override
  public List<RepairPolicy> repairPolicies() {
    return cloud.repairPolicies();
  }
}
