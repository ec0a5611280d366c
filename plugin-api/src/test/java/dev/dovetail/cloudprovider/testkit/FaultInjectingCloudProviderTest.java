package dev.dovetail.cloudprovider.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.cloudprovider.CloudProviderException;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InterruptionEvent;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodeRegistrar;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.RepairPolicy;
import dev.dovetail.cloudprovider.testkit.FaultInjectingCloudProvider.Fault;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The fault decorator around the kit's in-memory cloud: each fault does what it says. */
class FaultInjectingCloudProviderTest {

  /** An in-memory cloud whose machines register a Node as a simulated kubelet would. */
  private static final class RegisteringCloud extends InMemoryCloud {
    private ProviderContext context;

    @Override
    public void start(ProviderContext context) {
      super.start(context);
      this.context = context;
    }

    @Override
    public synchronized Instance create(NodeClaimView claim) {
      Instance i = super.create(claim);
      context
          .nodes()
          .register(
              new NodeBuilder()
                  .withNewMetadata()
                  .withName("node-" + claim.name())
                  .endMetadata()
                  .withNewSpec()
                  .withProviderID(i.providerId())
                  .endSpec()
                  .build());
      return i;
    }

    @Override
    public List<RepairPolicy> repairPolicies() {
      return List.of(new RepairPolicy("Ready", "False", Duration.ofMinutes(30)));
    }
  }

  private final List<String> registered = new CopyOnWriteArrayList<>();
  private final List<InterruptionEvent> events = new CopyOnWriteArrayList<>();

  private FaultInjectingCloudProvider started(
      FaultInjectingCloudProvider cloud, dev.dovetail.cloudprovider.InterruptionListener l) {
    cloud.start(
        new ProviderContext(
            "test",
            Map.of(),
            Clock.systemUTC(),
            new NodeRegistrar() {
              @Override
              public void register(Node node) {
                registered.add(node.getMetadata().getName());
              }

              @Override
              public void update(String nodeName, UnaryOperator<Node> change) {}

              @Override
              public void deregister(String nodeName) {}
            },
            l));
    return cloud;
  }

  private FaultInjectingCloudProvider cloud() {
    return started(new FaultInjectingCloudProvider(new RegisteringCloud(), 1), events::add);
  }

  private static NodeClaimView claim(String name) {
    return new NodeClaimView(
        name, "pool", null, null, null, null, null, null, null, null, null, null);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void aTimedOutCreateHasLaunchedTheInstanceAndTheRetryGetsIt() {
    FaultInjectingCloudProvider cloud = cloud().timeoutRate(1.0, Duration.ZERO);
    assertThatThrownBy(() -> cloud.create(claim("a")))
        .isInstanceOf(CloudProviderException.class)
        .hasMessageContaining("timed out");
    cloud.timeoutRate(0, Duration.ZERO);
    assertThat(cloud.listQuietly()).hasSize(1);
    Instance retried = cloud.create(claim("a"));
    assertThat(cloud.listQuietly())
        .extracting(Instance::providerId)
        .containsExactly(retried.providerId());
    assertThat(cloud.injected(Fault.TIMEOUT)).isEqualTo(1);
  }

  @Test
  void aCallErrorFailsBeforeReachingTheCloud() {
    FaultInjectingCloudProvider cloud = cloud().errorRate(1.0);
    assertThatThrownBy(() -> cloud.create(claim("a"))).isInstanceOf(CloudProviderException.class);
    assertThatThrownBy(cloud::list).isInstanceOf(CloudProviderException.class);
    assertThat(cloud.listQuietly()).isEmpty();
    assertThat(cloud.injected(Fault.CALL_ERROR)).isEqualTo(2);
  }

  @Test
  void aLaunchMadeNeverToRegisterLaunchesButItsNodeNeverReachesTheApi() {
    FaultInjectingCloudProvider cloud = cloud().neverRegisterRate(1.0);
    // the node registers inside create here, before create returns: still swallowed
    Instance lost = cloud.create(claim("lost"));
    cloud.neverRegisterRate(0);
    cloud.create(claim("fine"));
    assertThat(cloud.neverRegistered()).containsExactly(lost.providerId());
    assertThat(registered).containsExactly("node-fine");
    assertThat(cloud.injected(Fault.NEVER_REGISTER)).isEqualTo(1);
  }

  @Test
  void anInterruptionWarnsAndTheCoreRemovingTheInstanceInTimeIsCounted() throws Exception {
    AtomicInteger deliveries = new AtomicInteger();
    FaultInjectingCloudProvider[] self = new FaultInjectingCloudProvider[1];
    self[0] =
        started(
            new FaultInjectingCloudProvider(new RegisteringCloud(), 1),
            e -> {
              if (deliveries.incrementAndGet() == 1) {
                throw new IllegalStateException("not recorded yet"); // redelivered
              }
              self[0].delete(e.providerId()); // the core replaces the node
            });
    Instance i = self[0].create(claim("spot"));
    assertThat(self[0].interrupt(i.providerId(), Duration.ofMillis(500))).isTrue();
    await("the reclaim deadline", () -> self[0].interruptionsHandledByCore() == 1);
    assertThat(deliveries.get()).isEqualTo(2);
    assertThat(self[0].interruptionsReclaimed()).isZero();
  }

  @Test
  void anInterruptionNobodyActsOnEndsWithTheCloudReclaimingTheInstance() throws Exception {
    FaultInjectingCloudProvider cloud = cloud();
    Instance i = cloud.create(claim("spot"));
    cloud.interrupt(i.providerId(), Duration.ofMillis(50));
    await("the reclaim", () -> cloud.interruptionsReclaimed() == 1);
    assertThat(cloud.listQuietly()).isEmpty();
    assertThat(events)
        .extracting(InterruptionEvent::kind)
        .containsExactly(
            InterruptionEvent.Kind.SPOT_INTERRUPTION, InterruptionEvent.Kind.INSTANCE_TERMINATING);
  }

  @Test
  void aVanishedInstanceIsGoneWithoutAnyEvent() {
    FaultInjectingCloudProvider cloud = cloud();
    Instance i = cloud.create(claim("a"));
    assertThat(cloud.vanish(i.providerId())).isTrue();
    assertThatThrownBy(() -> cloud.get(i.providerId()))
        .isInstanceOf(NodeClaimNotFoundException.class);
    assertThat(events).isEmpty();
    assertThat(cloud.vanish(i.providerId())).isFalse();
  }

  @Test
  void repairTolerationsAreCappedForCompressedTime() {
    FaultInjectingCloudProvider cloud = cloud();
    assertThat(cloud.repairPolicies().get(0).toleration()).isEqualTo(Duration.ofMinutes(30));
    cloud.repairToleration(Duration.ofSeconds(3));
    assertThat(cloud.repairPolicies().get(0).toleration()).isEqualTo(Duration.ofSeconds(3));
  }
}
