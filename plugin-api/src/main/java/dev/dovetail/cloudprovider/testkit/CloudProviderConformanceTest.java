// Over 500 lines on purpose: a plugin author subclasses one class and gets every contract test;
// JUnit 5 runs inherited @Test methods, so splitting the contract across classes would make each
// author wire several subclasses. The helpers it needs are in the same package.
package dev.dovetail.cloudprovider.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.cloudprovider.CreateException;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.NodePoolInfo;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@link CloudProvider} contract as tests. A plugin runs it by subclassing in its own test
 * sources and supplying a started provider:
 *
 * <pre>{@code
 * class MyCloudConformanceTest extends CloudProviderConformanceTest {
 *   protected CloudProvider startProvider() {
 *     MyCloud cloud = new MyCloud();
 *     cloud.start(new ProviderContext("test", Map.of(), Clock.systemUTC(), NodeRegistrar.NONE,
 *         InterruptionListener.IGNORE));
 *     return cloud;
 *   }
 * }
 * }</pre>
 *
 * <p>Every other hook has a default that works from {@link CloudProvider#instanceTypes}; a backend
 * overrides what it cannot do that way (a WireMock-backed plugin, for instance, overrides {@link
 * #nodeClaim} to use the instance types its stubs know, and {@link #forceInsufficientCapacity} to
 * stub a capacity error). Tests whose hook a backend does not support are skipped, not failed.
 *
 * <p>A fresh provider is started before each test and closed after it; instances a test launched
 * are deleted first (ignoring {@link NodeClaimNotFoundException}).
 *
 * <p>The kit cannot pass without checking anything: a test class in which no contract test ran (all
 * skipped) fails, and a summary line says how many ran. Every failure names the exception the
 * contract expected and what the provider did instead. {@link #chaosPass} is a short randomized
 * pass (create/get/delete/list, with capacity errors injected through {@link
 * #forceInsufficientCapacity}, cloud faults through {@link FaultInjectingCloudProvider} and, where
 * the backend implements {@link #injectWireFault}, throttling, 5xx and timeouts under the
 * provider's own clients) that checks nothing leaks, is duplicated or is misread; a subclass calls
 * it from its own test. The AWS, Azure, GCP and Cluster API plugins' conformance tests show how
 * (see RELIABILITY.md, "Conformance kit chaos pass, per plugin").
 */
@ExtendWith(ContractCoverage.class)
public abstract class CloudProviderConformanceTest {

  /** Label keys a launched instance must report, with values matching its own fields. */
  private static final Set<String> RESOLVED_LABELS =
      Set.of(WellKnownLabels.INSTANCE_TYPE, WellKnownLabels.ZONE, WellKnownLabels.CAPACITY_TYPE);

  private final AtomicInteger claims = new AtomicInteger();
  private final List<String> launched = new ArrayList<>();

  /** The provider under test, started. */
  protected CloudProvider provider;

  // ------------------------------------------------------------------ hooks

  /** A new provider, {@link CloudProvider#start started} with the backend's context. */
  protected abstract CloudProvider startProvider();

  /** The NodePool instance types are listed for. */
  protected NodePoolInfo nodePool() {
    return new NodePoolInfo("conformance", Requirements.none(), Map.of(), null);
  }

  /** The NodeClass object passed to {@link CloudProvider#instanceTypes} and put on claims. */
  protected Object nodeClass() {
    return null;
  }

  /** How many of the cheapest instance types a default claim offers as options. */
  protected int instanceTypeOptions() {
    return 5;
  }

  /**
   * A NodeClaim the provider can launch, named {@code name}, with {@code extra} requirements added.
   * The default offers the {@link #instanceTypeOptions()} cheapest instance types that have an
   * available offering satisfying {@code extra}, cheapest first as the core does.
   */
  protected NodeClaimView nodeClaim(String name, Requirements extra) {
    List<InstanceType> types =
        provider.instanceTypes(nodePool(), nodeClass()).stream()
            .filter(it -> satisfies(it, extra) && it.cheapestOffering(extra).isPresent())
            .sorted(
                Comparator.comparingDouble(
                    (InstanceType it) -> it.cheapestOffering(extra).get().price()))
            .limit(instanceTypeOptions())
            .toList();
    assertThat(types)
        .as("instance types with an available offering satisfying %s", extra)
        .isNotEmpty();
    return nodeClaimOffering(name, types, extra);
  }

  /**
   * A NodeClaim named {@code name} of the test NodePool offering exactly {@code types} (in that
   * order), with {@code extra} requirements added: what a kit subclass overriding {@link
   * #nodeClaim} builds once it has chosen the types.
   */
  protected final NodeClaimView nodeClaimOffering(
      String name, List<InstanceType> types, Requirements extra) {
    Requirements reqs =
        Requirements.of(
                Requirement.in(
                    WellKnownLabels.INSTANCE_TYPE, types.stream().map(InstanceType::name).toList()),
                Requirement.in(WellKnownLabels.NODE_POOL, nodePool().name()))
            .and(extra);
    return new NodeClaimView(
        name,
        nodePool().name(),
        Map.of(WellKnownLabels.NODE_POOL, nodePool().name()),
        Map.of(),
        List.of(),
        List.of(),
        reqs,
        Resources.of(Resources.CPU, 100L, Resources.MEMORY, 64L << 20),
        nodePool().nodeClassRef(),
        nodeClass(),
        null,
        null);
  }

  /** Whether the type's own requirements (and name) agree with {@code reqs} on shared keys. */
  protected static boolean satisfies(InstanceType it, Requirements reqs) {
    Requirement name = reqs.get(WellKnownLabels.INSTANCE_TYPE);
    if (name != null && !name.has(it.name())) {
      return false;
    }
    for (Requirement r : reqs.all()) {
      Requirement mine = it.requirements().get(r.key());
      if (mine != null && !mine.intersects(r)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Makes launches on {@code offering} fail with insufficient capacity. Return false when the
   * backend cannot (the capacity test is then skipped).
   */
  protected boolean forceInsufficientCapacity(OfferingKey offering) {
    return false;
  }

  /** A fault a backend injects on the wire, under the provider's own clients and their retries. */
  public enum WireFault {
    /** The cloud's throttling answer (HTTP 429, EC2 {@code RequestLimitExceeded}). */
    THROTTLE,
    /** An HTTP 5xx. */
    SERVER_ERROR,
    /**
     * The request reaches the cloud (a create or delete takes effect) but its answer comes later
     * than the client waits, as a WireMock fixed delay beyond the client's timeout does.
     */
    TIMEOUT
  }

  /** The provider call whose cloud requests a {@link WireFault} hits. */
  public enum CloudCall {
    CREATE,
    GET,
    DELETE,
    LIST
  }

  /**
   * Makes the next {@code times} cloud requests that {@code call} sends fail with {@code fault}
   * (later requests are answered normally), so the pass sees whether the provider retries the fault
   * or surfaces it, and never reads it as something else: a throttle or 5xx as "not found" or as
   * insufficient capacity, a timed-out create as a reason to launch a second instance. Return false
   * when the backend cannot (the chaos pass then skips wire faults). Used only by {@link
   * #chaosPass}.
   */
  protected boolean injectWireFault(CloudCall call, WireFault fault, int times) {
    return false;
  }

  /** Removes every fault {@link #injectWireFault} injected that has not fired yet. */
  protected void clearWireFaults() {}

  /** A providerID of this provider's format that names no instance. */
  protected String unknownProviderId() {
    return provider.name() + ":///zone-that-does-not-exist/i-00000000000000000";
  }

  /**
   * States in which {@code get} and {@code list} may still report a deleted instance, as a cloud
   * that lists shutting-down machines does; any other state after delete fails the contract.
   * Providers that forget instances at once always throw {@link NodeClaimNotFoundException}.
   */
  protected Set<String> terminatingStates() {
    return Set.of("shutting-down", "terminating", "terminated", "stopping", "stopped");
  }

  // ------------------------------------------------------------------ lifecycle

  @BeforeEach
  void startTheProvider() {
    provider = startProvider();
    assertThat(provider).as("startProvider()").isNotNull();
  }

  @AfterEach
  void cleanUp() {
    if (provider == null) {
      return;
    }
    try {
      for (String providerId : launched) {
        try {
          provider.delete(providerId);
        } catch (NodeClaimNotFoundException alreadyGone) {
          // deleted by the test
        }
      }
    } finally {
      provider.close();
    }
  }

  /** A claim name unique within the test class run. */
  protected String claimName() {
    return "conformance-" + claims.incrementAndGet();
  }

  /** Creates the claim and remembers the instance for clean-up. */
  protected Instance launch(NodeClaimView claim) {
    Instance instance = provider.create(claim);
    assertThat(instance).as("create(%s)", claim.name()).isNotNull();
    launched.add(instance.providerId());
    return instance;
  }

  // ------------------------------------------------------------------ the contract

  @Test
  void nameIsSetAndProviderIsFunctional() {
    assertThat(provider.name()).as("name()").isNotBlank();
    assertThat(provider.functional()).as("functional(): %s", provider.status()).isTrue();
  }

  @Test
  void providerDeclaresItsNodeClass() {
    assertThat(provider.supportedNodeClasses())
        .as(
            "supportedNodeClasses() of %s is empty: a provider must declare the NodeClass kind"
                + " its NodePools reference (a NodeClassKind with its group, version, kind and"
                + " a fabric8 HasMetadata model class), or the core cannot read, validate or"
                + " watch it",
            provider.name())
        .isNotNull()
        .isNotEmpty();
  }

  @Test
  void instanceTypesAreWellFormed() {
    List<InstanceType> types = provider.instanceTypes(nodePool(), nodeClass());
    assertThat(types).isNotEmpty();
    assertThat(types.stream().map(InstanceType::name).distinct().count())
        .as("instance type names are unique")
        .isEqualTo(types.size());
    for (InstanceType it : types) {
      assertThat(it.offerings()).as("offerings of %s", it.name()).isNotEmpty();
      for (Offering o : it.offerings()) {
        assertThat(o.price()).as("price of %s %s", it.name(), o).isPositive();
        assertThat(o.zone()).as("zone of %s %s", it.name(), o).isNotBlank();
        assertThat(o.capacityType())
            .as("capacity type of %s %s", it.name(), o)
            .isIn(
                WellKnownLabels.CAPACITY_TYPE_ON_DEMAND,
                WellKnownLabels.CAPACITY_TYPE_SPOT,
                WellKnownLabels.CAPACITY_TYPE_RESERVED);
      }
      Resources capacity = it.capacity();
      assertThat(capacity.get(Resources.CPU)).as("cpu of %s", it.name()).isPositive();
      assertThat(capacity.get(Resources.MEMORY)).as("memory of %s", it.name()).isPositive();
      assertThat(capacity.get(Resources.PODS)).as("pods of %s", it.name()).isPositive();
      assertThat(it.allocatable().fitsIn(capacity))
          .as("allocatable %s <= capacity %s of %s", it.allocatable(), capacity, it.name())
          .isTrue();
      assertThat(it.allocatable().get(Resources.CPU))
          .as("allocatable cpu of %s", it.name())
          .isPositive();
      assertThat(it.allocatable().get(Resources.MEMORY))
          .as("allocatable memory of %s", it.name())
          .isPositive();
      Requirement name = it.requirements().get(WellKnownLabels.INSTANCE_TYPE);
      if (name != null) {
        assertThat(name.has(it.name()))
            .as("%s's instance-type requirement %s", it.name(), name)
            .isTrue();
      }
    }
  }

  @Test
  void createGetListDeleteRoundTrip() {
    NodeClaimView claim = nodeClaim(claimName(), Requirements.none());
    Instance created = launch(claim);
    assertResolved(created, claim);

    Instance got = provider.get(created.providerId());
    assertThat(got).as("get(%s) of an instance just created", created.providerId()).isNotNull();
    assertThat(got.providerId()).isEqualTo(created.providerId());
    assertThat(got.instanceType()).isEqualTo(created.instanceType());
    assertThat(got.zone()).isEqualTo(created.zone());
    assertThat(got.capacityType()).isEqualTo(created.capacityType());

    assertThat(listed()).extracting(Instance::providerId).contains(created.providerId());

    provider.delete(created.providerId());
    assertGone(created.providerId());
  }

  @Test
  void createIsIdempotentByNodeClaimName() {
    NodeClaimView claim = nodeClaim(claimName(), Requirements.none());
    Instance first = launch(claim);
    Instance second = launch(claim);
    assertThat(second.providerId()).isEqualTo(first.providerId());
    assertThat(listed().stream().filter(i -> claim.name().equals(i.nodeClaim())).count())
        .as("instances for NodeClaim %s", claim.name())
        .isEqualTo(1);
  }

  @Test
  void deleteIsIdempotentAndReportsNotFoundOnceGone() {
    Instance created = launch(nodeClaim(claimName(), Requirements.none()));
    provider.delete(created.providerId());
    expectThrows(
        "a second delete(" + created.providerId() + ")",
        () -> provider.delete(created.providerId()),
        NodeClaimNotFoundException.class);
    expectThrows(
        "a third delete(" + created.providerId() + ")",
        () -> provider.delete(created.providerId()),
        NodeClaimNotFoundException.class);
  }

  @Test
  void getOfUnknownProviderIdIsNotFound() {
    String unknown = unknownProviderId();
    expectThrows(
        "get(" + unknown + ") of an unknown instance",
        () -> provider.get(unknown),
        NodeClaimNotFoundException.class);
  }

  @Test
  void deleteOfUnknownProviderIdIsNotFound() {
    String unknown = unknownProviderId();
    expectThrows(
        "delete(" + unknown + ") of an unknown instance",
        () -> provider.delete(unknown),
        NodeClaimNotFoundException.class);
  }

  @Test
  void listCarriesNodeClaimAndNodePoolTags() {
    NodeClaimView a = nodeClaim(claimName(), Requirements.none());
    NodeClaimView b = nodeClaim(claimName(), Requirements.none());
    Instance ia = launch(a);
    Instance ib = launch(b);
    List<Instance> listed = listed();
    assertThat(listed)
        .filteredOn(i -> i.providerId().equals(ia.providerId()))
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.nodeClaim()).isEqualTo(a.name());
              assertThat(i.nodePool()).isEqualTo(a.nodePool());
            });
    assertThat(listed)
        .filteredOn(i -> i.providerId().equals(ib.providerId()))
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.nodeClaim()).isEqualTo(b.name());
              assertThat(i.nodePool()).isEqualTo(b.nodePool());
            });
  }

  @Test
  void createHonoursZoneAndCapacityTypeRequirements() {
    // Pick a zone and capacity type some type really offers, then pin the claim to them.
    Offering target =
        provider.instanceTypes(nodePool(), nodeClass()).stream()
            .flatMap(it -> it.availableOfferings().stream())
            .filter(o -> WellKnownLabels.CAPACITY_TYPE_ON_DEMAND.equals(o.capacityType()))
            .reduce((first, later) -> later) // the last zone listed, not the default first one
            .orElse(null);
    Assumptions.assumeTrue(target != null, "no available on-demand offering");
    Requirements pinned =
        Requirements.of(
            Requirement.in(WellKnownLabels.ZONE, target.zone()),
            Requirement.in(WellKnownLabels.CAPACITY_TYPE, target.capacityType()));
    NodeClaimView claim = nodeClaim(claimName(), pinned);
    Instance instance = launch(claim);
    assertResolved(instance, claim);
    assertThat(instance.zone()).isEqualTo(target.zone());
    assertThat(instance.capacityType()).isEqualTo(target.capacityType());
  }

  @Test
  void createHonoursInstanceTypeOptions() {
    NodeClaimView claim = nodeClaim(claimName(), Requirements.none());
    List<String> options = claim.instanceTypeOptions();
    // Offer only the most expensive of the default options: the provider must not pick another.
    String only = options.get(options.size() - 1);
    NodeClaimView narrowed =
        nodeClaim(
            claimName(), Requirements.of(Requirement.in(WellKnownLabels.INSTANCE_TYPE, only)));
    Instance instance = launch(narrowed);
    assertThat(instance.instanceType()).isEqualTo(only);
  }

  @Test
  void createWithNothingLaunchableFailsWithATypedError() {
    NodeClaimView possible = nodeClaim(claimName(), Requirements.none());
    NodeClaimView impossible =
        new NodeClaimView(
            claimName(),
            possible.nodePool(),
            possible.labels(),
            possible.annotations(),
            possible.taints(),
            possible.startupTaints(),
            possible
                .requirements()
                .without(WellKnownLabels.INSTANCE_TYPE)
                .and(Requirement.in(WellKnownLabels.INSTANCE_TYPE, "no-such-instance-type")),
            possible.requests(),
            possible.nodeClassRef(),
            possible.nodeClass(),
            null,
            null);
    expectThrows(
        "create(" + impossible.name() + ") requiring an instance type that does not exist",
        () -> launch(impossible),
        CreateException.class,
        InsufficientCapacityException.class);
    assertThat(listed())
        .as("instances listed for the failed NodeClaim %s", impossible.name())
        .noneMatch(i -> impossible.name().equals(i.nodeClaim()));
  }

  @Test
  void insufficientCapacityNamesTheFailedOfferings() {
    InstanceType type =
        provider.instanceTypes(nodePool(), nodeClass()).stream()
            .filter(it -> !it.availableOfferings().isEmpty())
            .findFirst()
            .orElseThrow();
    Offering offering = type.availableOfferings().get(0);
    OfferingKey key = offering.key(type.name());
    Assumptions.assumeTrue(
        forceInsufficientCapacity(key), "backend cannot force an insufficient-capacity error");
    NodeClaimView claim =
        nodeClaim(
            claimName(),
            Requirements.of(
                Requirement.in(WellKnownLabels.INSTANCE_TYPE, type.name()),
                Requirement.in(WellKnownLabels.ZONE, offering.zone()),
                Requirement.in(WellKnownLabels.CAPACITY_TYPE, offering.capacityType())));
    InsufficientCapacityException e =
        expectThrows(
            "create("
                + claim.name()
                + ") on the offering made to fail with insufficient capacity "
                + key,
            () -> launch(claim),
            InsufficientCapacityException.class);
    assertThat(e.offerings())
        .as("offerings named by the InsufficientCapacityException (%s)", e.getMessage())
        .contains(key);
    assertThat(listed())
        .as("instances listed for the failed NodeClaim %s", claim.name())
        .noneMatch(i -> claim.name().equals(i.nodeClaim()));
  }

  /**
   * The chaos pass: {@code steps} seeded random operations (create new and repeated, get, delete
   * live and deleted, list, capacity errors injected through {@link #forceInsufficientCapacity}),
   * checking after each that no instance leaked, was duplicated or was lost. Not run by default (it
   * needs a backend that keeps state across calls, as a fake or an in-memory cloud does); call it
   * from a test of your subclass:
   *
   * <pre>{@code
   * @Test
   * void chaos() {
   *   chaosPass(40, Long.getLong("chaos.seed", 42L));
   * }
   * }</pre>
   *
   * A failure message carries the seed and the operations so far, to replay the sequence.
   *
   * <p>A backend that implements {@link #injectWireFault} also gets wire faults under the
   * provider's own clients (throttling, 5xx, timeouts on create, get, delete and list), each of
   * which must be retried or surfaced: a create answers with one instance or a transient error
   * (never insufficient capacity), and its retry returns the same instance; a get or delete of a
   * live instance never says "not found" while it still runs; a list that returns has every live
   * instance. The real plugins run it against their WireMock clouds through {@link
   * WireMockConformanceTest}; {@code mvn verify -Dchaos.steps=400 -Dchaos.seed=7} runs a longer
   * pass.
   */
  protected final void chaosPass(int steps, long seed) {
    new ChaosPass(this, seed).run(steps);
  }

  /** The {@code chaos.steps} system property, or {@code dflt}: a longer pass on demand. */
  protected static int chaosSteps(int dflt) {
    return Integer.getInteger("chaos.steps", dflt);
  }

  /** The {@code chaos.seed} system property, or 42: replays a failed pass. */
  protected static long chaosSeed() {
    return Long.getLong("chaos.seed", 42L);
  }

  // ------------------------------------------------------------------ assertions

  /**
   * Runs {@code call}, which the contract says must throw one of {@code expected}; fails with a
   * message naming the expected exception and what happened instead (a return value, or another
   * exception with its message).
   *
   * @return the exception thrown
   */
  @SafeVarargs
  protected static <T extends Throwable> T expectThrows(
      String what, ThrowingCall call, Class<? extends T>... expected) {
    String names =
        java.util.Arrays.stream(expected)
            .map(Class::getSimpleName)
            .collect(java.util.stream.Collectors.joining(" or "));
    try {
      call.call();
    } catch (Throwable thrown) {
      for (Class<? extends T> type : expected) {
        if (type.isInstance(thrown)) {
          return type.cast(thrown);
        }
      }
      throw new AssertionError(
          "%s must throw %s, but threw %s".formatted(what, names, thrown), thrown);
    }
    throw new AssertionError("%s must throw %s, but returned normally".formatted(what, names));
  }

  /** A call the contract expects to throw. */
  @FunctionalInterface
  protected interface ThrowingCall {
    void call() throws Exception;
  }

  /** {@link CloudProvider#list()}, checked to be a list without nulls or instances without IDs. */
  protected List<Instance> listed() {
    List<Instance> all = provider.list();
    assertThat(all).as("list()").isNotNull().doesNotContainNull();
    for (Instance i : all) {
      assertThat(i.providerId()).as("providerId of listed instance %s", i).isNotBlank();
    }
    return all;
  }

  /** The instance is resolved and satisfies the claim. */
  protected void assertResolved(Instance instance, NodeClaimView claim) {
    assertThat(instance.providerId()).as("providerId").isNotBlank();
    assertThat(instance.nodeClaim()).as("nodeClaim tag").isEqualTo(claim.name());
    assertThat(instance.nodePool()).as("nodePool tag").isEqualTo(claim.nodePool());
    assertThat(instance.instanceType()).as("instanceType").isNotBlank();
    assertThat(instance.zone()).as("zone").isNotBlank();
    assertThat(instance.capacityType()).as("capacityType").isNotBlank();
    if (!claim.instanceTypeOptions().isEmpty()) {
      assertThat(instance.instanceType()).isIn(claim.instanceTypeOptions());
    }
    Requirements reqs = claim.requirements();
    assertAllowed(reqs, WellKnownLabels.ZONE, instance.zone());
    assertAllowed(reqs, WellKnownLabels.CAPACITY_TYPE, instance.capacityType());
    assertThat(instance.capacity().get(Resources.CPU)).as("capacity cpu").isPositive();
    assertThat(instance.capacity().get(Resources.MEMORY)).as("capacity memory").isPositive();
    assertThat(instance.allocatable().fitsIn(instance.capacity()))
        .as("allocatable %s <= capacity %s", instance.allocatable(), instance.capacity())
        .isTrue();
    assertThat(claim.requests().fitsIn(instance.allocatable()))
        .as("requests %s fit in allocatable %s", claim.requests(), instance.allocatable())
        .isTrue();
    Map<String, String> labels = instance.labels();
    for (String key : RESOLVED_LABELS) {
      assertThat(labels).as("labels").containsKey(key);
    }
    assertThat(labels.get(WellKnownLabels.INSTANCE_TYPE)).isEqualTo(instance.instanceType());
    assertThat(labels.get(WellKnownLabels.ZONE)).isEqualTo(instance.zone());
    assertThat(labels.get(WellKnownLabels.CAPACITY_TYPE)).isEqualTo(instance.capacityType());
  }

  private static void assertAllowed(Requirements reqs, String key, String value) {
    Requirement r = reqs.get(key);
    if (r != null) {
      assertThat(r.has(value)).as("%s=%s allowed by %s", key, value, r).isTrue();
    }
  }

  /**
   * After delete: get throws {@link NodeClaimNotFoundException}, or reports one of {@link
   * #terminatingStates()}; list reports it only in such a state.
   */
  protected void assertGone(String providerId) {
    boolean gone = false;
    Instance still = null;
    try {
      still = provider.get(providerId);
      if (still == null) {
        throw new AssertionError(
            ("get(%s) after delete returned null: it must throw NodeClaimNotFoundException (or"
                    + " return the instance in a terminating state %s)")
                .formatted(providerId, terminatingStates()));
      }
    } catch (NodeClaimNotFoundException expected) {
      gone = true;
    } catch (RuntimeException other) {
      throw new AssertionError(
          "get(%s) after delete must throw NodeClaimNotFoundException or return the instance in a"
                  .formatted(providerId)
              + " terminating state %s, but threw %s".formatted(terminatingStates(), other),
          other);
    }
    if (!gone) {
      assertThat(still.state())
          .as(
              "get(%s) after delete must throw NodeClaimNotFoundException or report a terminating"
                  + " state %s; it returned %s",
              providerId, terminatingStates(), still)
          .isIn(terminatingStates());
    }
    assertThat(listed())
        .filteredOn(i -> providerId.equals(i.providerId()))
        .allSatisfy(
            i ->
                assertThat(i.state())
                    .as("state of deleted instance %s in list()", providerId)
                    .isIn(terminatingStates()));
  }
}
