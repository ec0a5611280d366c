package dev.dovetail.plugins.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.cloudprovider.CreateException;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.InterruptionEvent;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodePoolInfo;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.Operator;
import dev.dovetail.cloudprovider.ProviderContext;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.Taint;
import dev.dovetail.cloudprovider.WellKnownLabels;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimulatedCloudTest {
  private static final String ZONE_A = "us-east-1a";
  private static final String ZONE_B = "us-east-1b";
  private static final String ZONE_C = "us-east-1c";
  private static final List<String> ZONES = List.of(ZONE_A, ZONE_B, ZONE_C);
  private static final NodePoolInfo POOL = new NodePoolInfo("default", null, null, null);

  private final ManualDelayer time = new ManualDelayer();
  private final RecordingNodeRegistrar registrar = new RecordingNodeRegistrar();
  private final List<InterruptionEvent> interruptions =
      Collections.synchronizedList(new ArrayList<>());
  private SimulatedCloud cloud;

  private SimulatedCloud start(Map<String, String> settings) {
    cloud = new SimulatedCloud(time);
    cloud.start(new ProviderContext("test", settings, time, registrar, interruptions::add));
    return cloud;
  }

  private SimulatedCloud start() {
    return start(Map.of());
  }

  @AfterEach
  void close() {
    if (cloud != null) {
      cloud.close();
    }
  }

  private static NodeClaimView claim(String name, Requirement... reqs) {
    return claim(name, List.of(), List.of(), Resources.EMPTY, null, reqs);
  }

  private static NodeClaimView claim(
      String name,
      List<Taint> taints,
      List<Taint> startupTaints,
      Resources requests,
      Object nodeClass,
      Requirement... reqs) {
    Requirements all =
        Requirements.of(reqs).and(Requirement.in(WellKnownLabels.NODE_POOL, "default"));
    return new NodeClaimView(
        name,
        "default",
        Map.of(WellKnownLabels.NODE_POOL, "default", "team", "blue"),
        Map.of(),
        taints,
        startupTaints,
        all,
        requests,
        null,
        nodeClass,
        null,
        null);
  }

  private static Requirement types(String... names) {
    return Requirement.in(WellKnownLabels.INSTANCE_TYPE, names);
  }

  private static Requirement capacityTypes(String... cts) {
    return Requirement.in(WellKnownLabels.CAPACITY_TYPE, cts);
  }

  private InstanceType type(String name) {
    return cloud.instanceTypes(POOL, null).stream()
        .filter(it -> it.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private double price(String type, String zone, String ct) {
    return type(type).offerings().stream()
        .filter(o -> o.zone().equals(zone) && o.capacityType().equals(ct))
        .findFirst()
        .orElseThrow()
        .price();
  }

  /** The zone with the cheapest spot price of the type, and the others by price. */
  private List<String> spotZonesByPrice(String type) {
    List<String> zones = new ArrayList<>(ZONES);
    zones.sort((a, b) -> Double.compare(price(type, a, "spot"), price(type, b, "spot")));
    return zones;
  }

  // ---------------------------------------------------------------- offering choice

  @Test
  void prefersSpotWhenAllowedAndPicksTheCheapestZone() {
    start();
    Instance i = cloud.create(claim("a", types("m5.large"), capacityTypes("spot", "on-demand")));
    assertThat(i.capacityType()).isEqualTo("spot");
    assertThat(i.zone()).isEqualTo(spotZonesByPrice("m5.large").get(0));
    assertThat(i.providerId()).startsWith("simulated:///" + i.zone() + "/i-");
    assertThat(i.state()).isEqualTo("pending");
  }

  @Test
  void onDemandOnlyClaimGetsOnDemandAtListPrice() {
    start();
    Instance i =
        cloud.create(
            claim(
                "a",
                types("m5.large"),
                capacityTypes("on-demand"),
                Requirement.in(WellKnownLabels.ZONE, ZONE_B)));
    assertThat(i.capacityType()).isEqualTo("on-demand");
    assertThat(i.zone()).isEqualTo(ZONE_B);
    assertThat(price("m5.large", ZONE_B, "on-demand")).isEqualTo(0.096);
  }

  @Test
  void picksTheCheapestOfferingAcrossTheOptions() {
    start();
    // m5.xlarge costs twice m5.large: listing it first must not make it win.
    Instance i =
        cloud.create(claim("a", types("m5.xlarge", "m5.large"), capacityTypes("on-demand")));
    assertThat(i.instanceType()).isEqualTo("m5.large");
  }

  @Test
  void requestsRuleOutTypesThatDoNotFit() {
    start();
    NodeClaimView big =
        claim(
            "a",
            List.of(),
            List.of(),
            Resources.of(Resources.CPU, 3000L, Resources.MEMORY, 4L << 30),
            null,
            types("m5.large", "m5.xlarge"),
            capacityTypes("on-demand"));
    assertThat(cloud.create(big).instanceType()).isEqualTo("m5.xlarge");
  }

  @Test
  void withoutInstanceTypeOptionsTheWholeCatalogIsConsideredWithLabelRequirements() {
    start();
    Instance gpu =
        cloud.create(
            claim(
                "gpu",
                Requirement.of(
                    "karpenter.k8s.aws/instance-gpu-manufacturer", Operator.In, "nvidia"),
                Requirement.in(WellKnownLabels.ARCH, "amd64"),
                capacityTypes("on-demand")));
    assertThat(gpu.capacity().get(Resources.NVIDIA_GPU)).isPositive();
    assertThat(gpu.labels()).containsEntry("karpenter.k8s.aws/instance-gpu-manufacturer", "nvidia");
  }

  @Test
  void incompatibleRequirementsAreACreateError() {
    start();
    assertThatThrownBy(
            () ->
                cloud.create(
                    claim("a", types("m5.large"), Requirement.in(WellKnownLabels.ARCH, "arm64"))))
        .isInstanceOf(CreateException.class)
        .satisfies(
            e -> assertThat(((CreateException) e).reason()).isEqualTo("NoCompatibleInstanceTypes"));
    assertThat(cloud.list()).isEmpty();
  }

  @Test
  void resolvedInstanceCarriesWellKnownAndClaimLabels() {
    start();
    Instance i = cloud.create(claim("node-1", types("m7g.large"), capacityTypes("on-demand")));
    assertThat(i.labels())
        .containsEntry(WellKnownLabels.INSTANCE_TYPE, "m7g.large")
        .containsEntry(WellKnownLabels.ZONE, i.zone())
        .containsEntry(WellKnownLabels.REGION, "us-east-1")
        .containsEntry(WellKnownLabels.ARCH, "arm64")
        .containsEntry(WellKnownLabels.OS, "linux")
        .containsEntry(WellKnownLabels.CAPACITY_TYPE, "on-demand")
        .containsEntry(WellKnownLabels.NODE_POOL, "default")
        .containsEntry(WellKnownLabels.HOSTNAME, "node-1")
        .containsEntry("team", "blue")
        .containsEntry("karpenter.k8s.aws/instance-family", "m7g");
    assertThat(i.nodeClaim()).isEqualTo("node-1");
    assertThat(i.nodePool()).isEqualTo("default");
    assertThat(i.capacity()).isEqualTo(type("m7g.large").capacity());
    assertThat(i.allocatable()).isEqualTo(type("m7g.large").allocatable());
    assertThat(i.launchTime()).isEqualTo(time.instant());
  }

  // ---------------------------------------------------------------- faults

  @Test
  void faultOnTheCheapestOfferingFallsToTheNextAndIsRememberedAsUnavailable() {
    start();
    List<String> zones = spotZonesByPrice("m5.large");
    OfferingKey cheapest = new OfferingKey("m5.large", zones.get(0), "spot");
    cloud.failOfferings(cheapest);
    Instance i = cloud.create(claim("a", types("m5.large"), capacityTypes("spot")));
    assertThat(i.zone()).isEqualTo(zones.get(1));
    assertThat(unavailable()).containsExactly(cheapest);
  }

  @Test
  void allCandidateOfferingsFaultedIsInsufficientCapacityNamingThem() {
    start();
    cloud.failOfferings(OfferingPattern.parse("m5.large/*/spot"));
    NodeClaimView c = claim("a", types("m5.large"), capacityTypes("spot", "on-demand"));
    assertThatThrownBy(() -> cloud.create(c))
        .isInstanceOf(InsufficientCapacityException.class)
        .satisfies(
            e ->
                assertThat(((InsufficientCapacityException) e).offerings())
                    .containsExactlyInAnyOrder(
                        new OfferingKey("m5.large", ZONE_A, "spot"),
                        new OfferingKey("m5.large", ZONE_B, "spot"),
                        new OfferingKey("m5.large", ZONE_C, "spot")));
    assertThat(cloud.list()).isEmpty();
    // Like AWS, the failure is remembered: the retry goes on-demand, no second ICE.
    Instance retry = cloud.create(c);
    assertThat(retry.capacityType()).isEqualTo("on-demand");
  }

  @Test
  void unavailableOfferingsExpireAfterTheTtl() {
    start(Map.of("unavailableOfferingsTTL", "3m"));
    OfferingKey key = new OfferingKey("m5.large", ZONE_A, "on-demand");
    cloud.failOfferings(key);
    assertThatThrownBy(
            () ->
                cloud.create(
                    claim(
                        "a",
                        types("m5.large"),
                        capacityTypes("on-demand"),
                        Requirement.in(WellKnownLabels.ZONE, ZONE_A))))
        .isInstanceOf(InsufficientCapacityException.class);
    assertThat(unavailable()).containsExactly(key);
    time.advance(Duration.ofMinutes(3));
    assertThat(unavailable()).isEmpty();
  }

  @Test
  void restoredOfferingLaunchesAgain() {
    start();
    OfferingKey key = new OfferingKey("m5.large", ZONE_A, "on-demand");
    cloud.failOfferings(key);
    NodeClaimView c =
        claim(
            "a",
            types("m5.large"),
            capacityTypes("on-demand"),
            Requirement.in(WellKnownLabels.ZONE, ZONE_A));
    assertThatThrownBy(() -> cloud.create(c)).isInstanceOf(InsufficientCapacityException.class);
    cloud.restoreOfferings(key);
    assertThat(cloud.create(c).zone()).isEqualTo(ZONE_A);
  }

  @Test
  void iceOfferingsSettingFaultsOfferingsFromTheStart() {
    start(Map.of("iceOfferings", "m5.large/us-east-1a/on-demand, c5.large/*/*"));
    assertThat(cloud.isFaulted(new OfferingKey("m5.large", ZONE_A, "on-demand"))).isTrue();
    assertThat(cloud.isFaulted(new OfferingKey("m5.large", ZONE_B, "on-demand"))).isFalse();
    assertThat(cloud.isFaulted(new OfferingKey("c5.large", ZONE_C, "spot"))).isTrue();
    assertThatThrownBy(() -> cloud.create(claim("a", types("c5.large"))))
        .isInstanceOf(InsufficientCapacityException.class);
  }

  private List<OfferingKey> unavailable() {
    List<OfferingKey> out = new ArrayList<>();
    for (InstanceType it : cloud.instanceTypes(POOL, null)) {
      for (Offering o : it.offerings()) {
        if (!o.available()) {
          out.add(o.key(it.name()));
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- node registration

  @Test
  void nodeAppearsAfterTheLaunchLatencyAsAKubeletWouldRegisterIt() {
    start(Map.of("launchLatency", "5s"));
    Taint dedicated = new Taint("dedicated", "gpu", "NoSchedule");
    Taint startup = new Taint("node.cilium.io/agent-not-ready", "true", "NoExecute");
    Instance i =
        cloud.create(
            claim(
                "node-1",
                List.of(dedicated),
                List.of(startup),
                Resources.EMPTY,
                null,
                types("m5.large"),
                capacityTypes("on-demand")));
    time.advance(Duration.ofMillis(4999));
    assertThat(registrar.nodes).isEmpty();
    time.advance(Duration.ofMillis(1));

    Node n = registrar.node("node-1");
    assertThat(n).isNotNull();
    assertThat(n.getSpec().getProviderID()).isEqualTo(i.providerId());
    assertThat(n.getMetadata().getLabels())
        .containsAllEntriesOf(i.labels())
        .containsEntry("team", "blue");
    assertThat(n.getSpec().getTaints())
        .extracting(t -> t.getKey() + ":" + t.getEffect())
        .containsExactlyInAnyOrder(
            "dedicated:NoSchedule",
            "node.cilium.io/agent-not-ready:NoExecute",
            "karpenter.sh/unregistered:NoExecute");
    assertThat(n.getStatus().getCapacity().get("cpu").toString()).isEqualTo("2");
    assertThat(n.getStatus().getCapacity().get("pods").toString()).isEqualTo("29");
    assertThat(n.getStatus().getAllocatable().get("cpu").toString()).isEqualTo("1930m");
    assertThat(n.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Ready");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    assertThat(n.getStatus().getNodeInfo().getArchitecture()).isEqualTo("amd64");
    assertThat(n.getStatus().getNodeInfo().getOperatingSystem()).isEqualTo("linux");
    assertThat(cloud.get(i.providerId()).state()).isEqualTo("running");

    // The startup daemon removes only its own taint, a second later by default.
    time.advance(Duration.ofSeconds(1));
    assertThat(registrar.node("node-1").getSpec().getTaints())
        .extracting(t -> t.getKey())
        .containsExactlyInAnyOrder("dedicated", "karpenter.sh/unregistered");
    assertThat(registrar.calls).containsExactly("register node-1", "update node-1");
  }

  @Test
  void registrationIsRetriedWhileTheApiRefusesIt() {
    start(Map.of("launchLatency", "0"));
    registrar.failRegistrations = 2;
    Instance i = cloud.create(claim("node-1", types("m5.large")));
    time.advance(Duration.ZERO);
    assertThat(registrar.nodes).isEmpty();
    assertThat(cloud.get(i.providerId()).state()).isEqualTo("pending");
    time.advance(Duration.ofSeconds(2));
    assertThat(registrar.nodes).containsKey("node-1");
    assertThat(registrar.calls)
        .containsExactly("register node-1", "register node-1", "register node-1");
    assertThat(cloud.get(i.providerId()).state()).isEqualTo("running");
  }

  @Test
  void noStartupTaintsMeansNoUpdate() {
    start(Map.of("launchLatency", "0"));
    cloud.create(claim("node-1", types("m5.large")));
    time.advance(Duration.ofMinutes(1));
    assertThat(registrar.calls).containsExactly("register node-1");
  }

  @Test
  void kwokNodeClassRegistrationDelayOverridesLaunchLatency() {
    start(Map.of("launchLatency", "1m"));
    KWOKNodeClass nc = new KWOKNodeClass();
    nc.setSpec(new KWOKNodeClass.Spec());
    nc.getSpec().setNodeRegistrationDelay("10s");
    cloud.create(claim("node-1", List.of(), List.of(), Resources.EMPTY, nc, types("m5.large")));
    time.advance(Duration.ofSeconds(10));
    assertThat(registrar.nodes).containsKey("node-1");
  }

  @Test
  void deleteRemovesTheNodeAndLaterCallsAreNotFound() {
    start(Map.of("launchLatency", "0"));
    Instance i = cloud.create(claim("node-1", types("m5.large")));
    time.advance(Duration.ZERO);
    assertThat(registrar.nodes).containsKey("node-1");
    cloud.delete(i.providerId());
    assertThat(registrar.nodes).isEmpty();
    assertThat(registrar.calls).containsExactly("register node-1", "deregister node-1");
    assertThat(cloud.list()).isEmpty();
    assertThatThrownBy(() -> cloud.get(i.providerId()))
        .isInstanceOf(NodeClaimNotFoundException.class);
    assertThatThrownBy(() -> cloud.delete(i.providerId()))
        .isInstanceOf(NodeClaimNotFoundException.class);
    // A NodeClaim recreated under the same name gets a new instance.
    assertThat(cloud.create(claim("node-1", types("m5.large"))).providerId())
        .isNotEqualTo(i.providerId());
  }

  @Test
  void deleteBeforeRegistrationMeansTheNodeNeverAppears() {
    start(Map.of("launchLatency", "2s"));
    Instance i = cloud.create(claim("node-1", types("m5.large")));
    cloud.delete(i.providerId());
    time.advance(Duration.ofMinutes(1));
    assertThat(registrar.calls).isEmpty();
  }

  // ---------------------------------------------------------------- interruptions

  @Test
  void spotInterruptionWarnsThenTerminatesAfterTheNotice() {
    start(Map.of("launchLatency", "0", "interruptionNotice", "2m"));
    Instance i = cloud.create(claim("node-1", types("m5.large"), capacityTypes("spot")));
    time.advance(Duration.ZERO);

    InterruptionEvent warning = cloud.interrupt(i.providerId());
    assertThat(interruptions).containsExactly(warning);
    assertThat(warning.kind()).isEqualTo(InterruptionEvent.Kind.SPOT_INTERRUPTION);
    assertThat(warning.providerId()).isEqualTo(i.providerId());
    assertThat(warning.deadline()).isEqualTo(time.instant().plus(Duration.ofMinutes(2)));

    time.advance(Duration.ofSeconds(119));
    assertThat(cloud.get(i.providerId())).isNotNull();
    assertThat(registrar.nodes).containsKey("node-1");

    time.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> cloud.get(i.providerId()))
        .isInstanceOf(NodeClaimNotFoundException.class);
    assertThat(registrar.nodes).isEmpty();
    assertThat(interruptions)
        .extracting(InterruptionEvent::kind)
        .containsExactly(
            InterruptionEvent.Kind.SPOT_INTERRUPTION, InterruptionEvent.Kind.INSTANCE_TERMINATING);
  }

  @Test
  void instanceDeletedBeforeTheDeadlineIsNotReportedTwice() {
    start(Map.of("launchLatency", "0"));
    Instance i = cloud.create(claim("node-1", types("m5.large"), capacityTypes("spot")));
    cloud.interrupt(i.providerId());
    cloud.delete(i.providerId());
    time.advance(Duration.ofMinutes(5));
    assertThat(interruptions)
        .extracting(InterruptionEvent::kind)
        .containsExactly(InterruptionEvent.Kind.SPOT_INTERRUPTION);
  }

  @Test
  void spotInterruptionIntervalInterruptsTheOldestSpotInstanceEachInterval() {
    start(
        Map.of(
            "launchLatency", "0", "spotInterruptionInterval", "10m", "interruptionNotice", "2m"));
    Instance onDemand = cloud.create(claim("od", types("m5.large"), capacityTypes("on-demand")));
    Instance older = cloud.create(claim("older", types("m5.large"), capacityTypes("spot")));
    time.advance(Duration.ofMinutes(1));
    Instance newer = cloud.create(claim("newer", types("m5.large"), capacityTypes("spot")));

    time.advance(Duration.ofMinutes(9));
    assertThat(interruptions)
        .extracting(InterruptionEvent::providerId)
        .containsExactly(older.providerId());
    time.advance(Duration.ofMinutes(10));
    assertThat(interruptions)
        .filteredOn(e -> e.kind() == InterruptionEvent.Kind.SPOT_INTERRUPTION)
        .extracting(InterruptionEvent::providerId)
        .containsExactly(older.providerId(), newer.providerId());
    time.advance(Duration.ofMinutes(30));
    assertThat(cloud.list())
        .extracting(Instance::providerId)
        .containsExactly(onDemand.providerId());
  }

  @Test
  void onlySpotInstancesAreInterrupted() {
    start();
    Instance i = cloud.create(claim("node-1", types("m5.large"), capacityTypes("on-demand")));
    assertThatThrownBy(() -> cloud.interrupt(i.providerId()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> cloud.interrupt("simulated:///x/i-1"))
        .isInstanceOf(NodeClaimNotFoundException.class);
    assertThat(interruptions).isEmpty();
  }

  // ---------------------------------------------------------------- concurrency, lifecycle

  @Test
  void concurrentCreatesOfOneClaimLaunchOneInstance() throws Exception {
    start();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Instance>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return cloud.create(claim("same", types("m5.large", "c5.large")));
                }));
      }
      go.countDown();
      Set<String> ids = new java.util.HashSet<>();
      for (Future<Instance> f : futures) {
        ids.add(f.get(10, TimeUnit.SECONDS).providerId());
      }
      assertThat(ids).hasSize(1);
      assertThat(cloud.list()).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closeStopsTheDelayer() {
    start();
    cloud.close();
    assertThat(time.closed).isTrue();
    cloud = null;
  }

  @Test
  void otherCatalogsStartAndLaunch() {
    Map<String, String> zonesByCatalog = new HashMap<>();
    zonesByCatalog.put("azure", "eastus-");
    zonesByCatalog.put("gcp", "us-central1-");
    zonesByCatalog.forEach(
        (catalog, zonePrefix) -> {
          SimulatedCloud c = new SimulatedCloud(time);
          c.start(
              new ProviderContext("test", Map.of("catalog", catalog), time, registrar, e -> {}));
          try {
            Instance i = c.create(claim("n-" + catalog, capacityTypes("on-demand")));
            assertThat(i.zone()).startsWith(zonePrefix);
            assertThat(i.providerId()).startsWith("simulated:///" + zonePrefix);
            assertThat(c.status()).contains(catalog);
          } finally {
            c.close();
          }
        });
  }
}
