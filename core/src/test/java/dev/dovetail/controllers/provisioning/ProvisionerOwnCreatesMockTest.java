package dev.dovetail.controllers.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClaimStatus;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.InterruptionListener;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.UnavailableOfferings;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.cloudprovider.testkit.Eventually;
import dev.dovetail.cloudprovider.testkit.MutableClock;
import dev.dovetail.controllers.ControllerContext;
import dev.dovetail.controllers.Harness;
import dev.dovetail.kube.EmbeddedApiServer;
import dev.dovetail.kube.EventRecorder;
import dev.dovetail.kube.KubeNodeRegistrar;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provisioner's own NodeClaim creates, against an informer cache that lags behind them by as
 * much as the test says: the informers watch one API server, the provisioner creates its NodeClaims
 * on another, and the test copies each claim into the watched one (its ADD event) when it chooses.
 * Passes are run directly, one at a time; the clock stands still, so nominations hold and nothing
 * expires.
 */
class ProvisionerOwnCreatesMockTest {
  private static final long LIMIT_CPU = 4000;

  /** What the informers watch. */
  private final EmbeddedApiServer cacheApi = EmbeddedApiServer.start();

  private final KubernetesClient cached = cacheApi.client();

  /** Where the provisioner creates its NodeClaims. */
  private final EmbeddedApiServer writeApi = EmbeddedApiServer.start();

  private final KubernetesClient written = writeApi.client();
  private final MutableClock clock = MutableClock.startingNow();
  private final SimulatedCloud sim = new SimulatedCloud();

  /** Live claims the provisioner created, by name, with the plan each came from. */
  private final Map<String, NewNodeClaim> created = new ConcurrentHashMap<>();

  private final AtomicInteger creates = new AtomicInteger();
  private ClusterState state;
  private Provisioner provisioner;
  private KubernetesClient writer;

  private void start(Predicate<HttpRequest> failCreate) {
    sim.start(
        new ProviderContext(
            "test",
            Map.of("catalog", "aws"),
            clock,
            new KubeNodeRegistrar(cached),
            InterruptionListener.IGNORE));
    Harness.createNodeClass(cached);
    Harness.markNodeClassReady(cached, "default");
    NodePool pool =
        Harness.nodePool(
            "limited", List.of(Harness.req(WellKnownLabels.CAPACITY_TYPE, "In", "on-demand")));
    pool.getSpec().setLimits(Map.of("cpu", new Quantity(LIMIT_CPU + "m")));
    cached.resource(pool).create();
    state = new ClusterState(cached, clock).start();
    writer =
        new KubernetesClientBuilder()
            // No retries: a create failed by the interceptor stays failed.
            .withConfig(
                new ConfigBuilder(written.getConfiguration())
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .withHttpClientBuilderConsumer(
                b ->
                    b.addOrReplaceInterceptor(
                        "fail-creates",
                        new Interceptor() {
                          @Override
                          public void before(
                              BasicBuilder builder,
                              HttpRequest request,
                              Interceptor.RequestTags tags) {
                            if (failCreate.test(request)) {
                              builder.uri(URI.create("http://127.0.0.1:1/unreachable"));
                            }
                          }
                        }))
            .build();
    provisioner =
        new Provisioner(
            new ControllerContext(
                writer,
                state,
                new CloudProviderFacade(
                    sim, cached, new UnavailableOfferings(clock, Duration.ofMinutes(3))),
                new EventRecorder(written, clock, Duration.ofMinutes(5)),
                clock),
            new Provisioner.Options(
                Duration.ofMillis(100), Duration.ofSeconds(1), 1000, Duration.ofMinutes(15)),
            new Provisioner.ProvisioningListener() {
              @Override
              public void nodeClaimCreated(NodeClaim claim, NewNodeClaim plan) {
                created.put(claim.getMetadata().getName(), plan);
                creates.incrementAndGet();
              }
            });
  }

  @AfterEach
  void stop() {
    if (provisioner != null) {
      provisioner.close();
    }
    if (state != null) {
      state.close();
    }
    if (writer != null) {
      writer.close();
    }
    cacheApi.close();
    writeApi.close();
  }

  @Test
  void aPassBeforeTheCacheShowsThePreviousPassesClaimsStaysWithinTheNodePoolsLimits()
      throws Exception {
    start(request -> false);
    pods("a", 6);
    provisioner.provision();
    assertThat(created).isNotEmpty();
    assertThat(heldCpu()).isLessThanOrEqualTo(LIMIT_CPU);

    // A second burst while the cache holds none of the first pass's claims.
    pods("b", 4);
    provisioner.provision();
    assertThat(heldCpu()).isLessThanOrEqualTo(LIMIT_CPU);
    assertThat(provisioner.unschedulableReasons().values()).anyMatch(r -> r.contains("limit"));

    // Cached but not launched: the cache counts their pods' requests, less than the instances.
    int before = creates.get();
    deliverAll(false);
    pods("c", 2);
    provisioner.provision();
    assertThat(creates.get()).isEqualTo(before);
    assertThat(heldCpu()).isLessThanOrEqualTo(LIMIT_CPU);

    // Launched: the cache counts their capacity, and nothing more is held for them.
    deliverAll(true);
    provisioner.provision();
    assertThat(creates.get()).isEqualTo(before);
    assertThat(heldCpu()).isLessThanOrEqualTo(LIMIT_CPU);
  }

  @Test
  void aClaimCreatedAndDeletedBetweenTwoPassesReleasesItsShareOfTheLimit() throws Exception {
    start(request -> false);
    pods("a", 6);
    provisioner.provision();
    assertThat(created).isNotEmpty();
    int before = creates.get();

    // An ICE'd launch: the claim reaches the cache and is deleted before the next pass starts.
    String gone = created.keySet().iterator().next();
    deliver(gone, false);
    cached.resources(NodeClaim.class).withName(gone).delete();
    written.resources(NodeClaim.class).withName(gone).delete();
    created.remove(gone);
    Eventually.await(
        Duration.ofSeconds(30),
        () -> state.nodeClaim(gone).isEmpty(),
        () -> "claim " + gone + " still cached");

    // Its pods are pending again (their nomination went with it) and fit in what it held.
    Eventually.await(
        Duration.ofSeconds(30),
        () -> {
          provisioner.provision();
          return creates.get() > before;
        },
        () -> "no claim created after " + gone + " went: " + provisioner.unschedulableReasons());
    assertThat(heldCpu()).isLessThanOrEqualTo(LIMIT_CPU);
  }

  @Test
  void aPodWhoseNominationLapsedBeforeItsClaimWasCachedGoesOntoThatClaimNotANewOne()
      throws Exception {
    start(request -> false);
    noLimits();
    cached.resource(Harness.pendingPod("s0", "500m", "512Mi")).create();
    awaitProvisionable(1);
    provisioner.provision();
    assertThat(creates.get()).isEqualTo(1);
    String claim = created.keySet().iterator().next();

    // The nomination's grace for a target not in the cache runs out; the claim is still on its
    // way (the cache lags), so the pod is pending again.
    clock.advance(Duration.ofSeconds(6));
    awaitProvisionable(1);
    var result = provisioner.provision();

    assertThat(creates.get()).isEqualTo(1);
    assertThat(result.placements()).containsValue(claim);
  }

  @Test
  void aFailedCreateLosesNeitherTheOtherClaimsNorItsPods() throws Exception {
    AtomicInteger posts = new AtomicInteger();
    start(
        request ->
            request.method().equals("POST")
                && request.uri().getPath().endsWith("/nodeclaims")
                && posts.incrementAndGet() == 2);
    // No limit here: each pod takes a node of its own (host port), so one claim per pod.
    noLimits();
    for (int i = 0; i < 5; i++) {
      cached.resource(hostPortPod("h" + i)).create();
    }
    awaitProvisionable(5);

    provisioner.provision();

    assertThat(creates.get()).isEqualTo(4);
    assertThat(written.resources(NodeClaim.class).list().getItems()).hasSize(4);
    // The failed claim's pod is not nominated to it: it is pending, and the next pass creates
    // its claim.
    assertThat(state.provisionablePods()).hasSize(1);
    assertThat(provisioner.unschedulableReasons().values())
        .anyMatch(r -> r.contains("failed, retrying"));
    provisioner.provision();
    assertThat(creates.get()).isEqualTo(5);
    assertThat(state.provisionablePods()).isEmpty();
  }

  // ---------------------------------------------------------------- helpers

  private void noLimits() throws InterruptedException {
    NodePool pool = cached.resources(NodePool.class).withName("limited").get();
    pool.getSpec().setLimits(null);
    cached.resource(pool).update();
    Eventually.await(
        Duration.ofSeconds(30),
        () -> state.nodePools().stream().allMatch(p -> p.getSpec().getLimits() == null),
        () -> "limits still cached");
  }

  /** The cpu the live claims hold of the limit: the largest instance type each may launch as. */
  private long heldCpu() {
    return created.values().stream().mapToLong(p -> Provisioner.largest(p).get("cpu")).sum();
  }

  private void pods(String prefix, int n) throws InterruptedException {
    int pods = state.pods().size();
    for (int i = 0; i < n; i++) {
      cached.resource(Harness.pendingPod(prefix + i, "1200m", "512Mi")).create();
    }
    Eventually.await(
        Duration.ofSeconds(30),
        () -> state.pods().size() == pods + n,
        () -> state.pods().size() + " pods cached");
  }

  private void awaitProvisionable(int n) throws InterruptedException {
    Eventually.await(
        Duration.ofSeconds(30),
        () -> state.provisionablePods().size() == n,
        () -> state.provisionablePods().size() + " provisionable");
  }

  private void deliverAll(boolean launched) throws InterruptedException {
    for (String name : created.keySet()) {
      deliver(name, launched);
    }
  }

  /**
   * Copies the claim as created into the watched API server (its ADD event), or, {@code launched},
   * writes the capacity its launch would (its UPDATE event); returns once the cache shows it.
   */
  private void deliver(String name, boolean launched) throws InterruptedException {
    NodeClaim claim = written.resources(NodeClaim.class).withName(name).get();
    if (!launched) {
      claim.setMetadata(
          new ObjectMetaBuilder()
              .withName(name)
              .withLabels(claim.getMetadata().getLabels())
              .withAnnotations(claim.getMetadata().getAnnotations())
              .build());
      cached.resource(claim).create();
    } else {
      NodeClaim current = cached.resources(NodeClaim.class).withName(name).get();
      NodeClaimStatus status = new NodeClaimStatus();
      status.setCapacity(CloudProviderFacade.quantities(Provisioner.largest(created.get(name))));
      current.setStatus(status);
      cached.resource(current).updateStatus();
    }
    Eventually.await(
        Duration.ofSeconds(30),
        () -> state.nodeClaim(name).filter(c -> !launched || c.getStatus() != null).isPresent(),
        () -> "claim " + name + " not cached");
  }

  /** A pod that needs a node of its own. */
  private static Pod hostPortPod(String name) {
    Pod p = Harness.pendingPod(name, "1200m", "512Mi");
    p.getSpec()
        .getContainers()
        .get(0)
        .setPorts(
            List.of(new ContainerPortBuilder().withContainerPort(8080).withHostPort(8080).build()));
    return p;
  }
}
