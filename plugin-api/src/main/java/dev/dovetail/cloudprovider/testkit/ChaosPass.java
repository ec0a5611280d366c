package dev.dovetail.cloudprovider.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.CloudProviderException;
import dev.dovetail.cloudprovider.CreateException;
import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.InsufficientCapacityException;
import dev.dovetail.cloudprovider.NodeClaimNotFoundException;
import dev.dovetail.cloudprovider.NodeClaimView;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.OfferingKey;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.cloudprovider.testkit.CloudProviderConformanceTest.CloudCall;
import dev.dovetail.cloudprovider.testkit.CloudProviderConformanceTest.WireFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The kit's chaos pass: a seeded random sequence of create (new and repeated), get, delete (live
 * and already deleted), list and injected capacity errors against one provider, plus cloud faults
 * injected through {@link FaultInjectingCloudProvider} around it (a create or delete that reached
 * the cloud but timed out on the way back, a create refused by throttling, an instance that
 * vanishes), each retried as the core retries it, and faults on the wire under the provider's own
 * clients where the backend injects them ({@link CloudProviderConformanceTest#injectWireFault}:
 * throttling, 5xx, timeouts on create, get, delete, list), each of which the provider must retry or
 * surface, never misread. After every step it checks ({@link ChaosLedger}) what the core relies on:
 * one instance per NodeClaim (a retried create returns the instance already launched), nothing left
 * behind by a failed create, deleted or vanished instances gone (or terminating), every live
 * instance listed. A failure prints the seed and the steps so far, so it can be replayed.
 */
final class ChaosPass {

  /** Faults "until cleared": more than any provider retries. */
  private static final int PERSISTENT = 50;

  private final CloudProviderConformanceTest kit;
  private final long seed;
  private final Random random;
  private final FaultInjectingCloudProvider faults;

  private final ChaosLedger ledger = new ChaosLedger();

  private final List<String> trace = new ArrayList<>();

  /** One wire fault to inject: once (to be retried) or persistent (to be surfaced). */
  private record WireStep(CloudCall call, WireFault fault, boolean persistent) {}

  /** Wire faults still to inject this round. */
  private final List<WireStep> wireFaults = new ArrayList<>();

  ChaosPass(CloudProviderConformanceTest kit, long seed) {
    this.kit = kit;
    this.seed = seed;
    this.random = new Random(seed);
    // not started: the kit started the provider; the decorator only wraps its calls here
    this.faults = new FaultInjectingCloudProvider(kit.provider, seed);
  }

  void run(int steps) {
    try {
      for (int i = 0; i < steps; i++) {
        step(random.nextInt(14));
        ledger.check(kit);
      }
      for (String claim : new ArrayList<>(ledger.liveNames())) {
        delete(claim);
      }
      ledger.check(kit);
      trace.add(
          "end: "
              + ledger.deletedInstances().size()
              + " deleted, "
              + ledger.failedCount()
              + " failed creates");
      // one line a plugin author can read in the test output: what the pass really exercised
      System.out.printf(
          "chaos pass (seed %d, %d steps): %d deleted, %d failed creates, %d wire faults"
              + " retried, %d surfaced%n",
          seed,
          steps,
          ledger.deletedInstances().size(),
          ledger.failedCount(),
          count("(retried)"),
          count(" surfaced "));
      if (Boolean.getBoolean("chaos.trace")) {
        System.out.println(String.join("\n", trace));
      }
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          "chaos pass failed (seed %d, %d steps: chaosPass(%d, %dL) replays it) after: %s%n%s"
              .formatted(seed, steps, steps, seed, String.join(" -> ", trace), e.getMessage()),
          e);
    }
  }

  private void step(int op) {
    switch (op) {
      case 0, 1 -> createNew();
      case 2 -> {
        if (ledger.noneLive()) {
          createNew();
        } else {
          createAgain(pick(ledger.liveNames()));
        }
      }
      case 3 -> get();
      case 4 -> {
        if (ledger.noneLive()) {
          createNew();
        } else {
          delete(pick(ledger.liveNames()));
        }
      }
      case 5 -> deleteAgain();
      case 6 -> capacityError();
      case 7 -> createTimedOut();
      case 8 -> createThrottled();
      case 9 -> {
        if (ledger.noneLive()) {
          createNew();
        } else {
          deleteTimedOut(pick(ledger.liveNames()));
        }
      }
      case 11, 12, 13 -> wireFault();
      default -> {
        if (ledger.noneLive()) {
          createNew();
        } else {
          vanish(pick(ledger.liveNames()));
        }
      }
    }
  }

  /**
   * The create reaches the cloud but its answer times out; the core retries with the same
   * NodeClaim, which must get the instance already launched, not a second one.
   */
  private void createTimedOut() {
    NodeClaimView claim = kit.nodeClaim(kit.claimName(), Requirements.none());
    faults.timeoutRate(1.0, Duration.ZERO);
    try {
      faults.create(claim);
      throw new AssertionError("the injected timeout did not fire");
    } catch (InsufficientCapacityException | CreateException e) {
      trace.add("create " + claim.name() + " failed before the timeout: " + e.getClass());
      ledger.failed(claim.name());
      return;
    } catch (CloudProviderException timedOut) {
      trace.add("create " + claim.name() + " timed out");
    } finally {
      faults.timeoutRate(0, Duration.ZERO);
    }
    retryCreate(claim);
  }

  /** Throttled before reaching the cloud: nothing launched; the retry launches once. */
  private void createThrottled() {
    NodeClaimView claim = kit.nodeClaim(kit.claimName(), Requirements.none());
    faults.errorRate(1.0);
    try {
      faults.create(claim);
      throw new AssertionError("the injected error did not fire");
    } catch (CloudProviderException throttled) {
      trace.add("create " + claim.name() + " throttled");
    } finally {
      faults.errorRate(0);
    }
    assertThat(kit.listed())
        .as("instances listed for NodeClaim %s whose create was refused", claim.name())
        .noneMatch(i -> claim.name().equals(i.nodeClaim()));
    retryCreate(claim);
  }

  private void retryCreate(NodeClaimView claim) {
    try {
      Instance instance = kit.launch(claim);
      trace.add("retry create " + claim.name() + " = " + instance.providerId());
      ledger.launched(claim, instance.providerId());
    } catch (InsufficientCapacityException | CreateException e) {
      trace.add("retry create " + claim.name() + " failed: " + e.getClass().getSimpleName());
      // the timed-out create may have launched one: the core deletes it, as garbage collection
      // would an instance whose NodeClaim is gone
      for (Instance orphan : kit.listed()) {
        if (claim.name().equals(orphan.nodeClaim())
            && !kit.terminatingStates().contains(orphan.state())) {
          kit.provider.delete(orphan.providerId());
          ledger.gone(orphan.providerId(), claim.name());
        }
      }
      ledger.failed(claim.name());
    }
  }

  /** The delete reaches the cloud, its answer times out; the retry finds the instance gone. */
  private void deleteTimedOut(String name) {
    String providerId = ledger.leaving(name);
    trace.add("delete " + providerId + " timed out");
    faults.timeoutRate(1.0, Duration.ZERO);
    try {
      CloudProviderConformanceTest.expectThrows(
          "delete(" + providerId + ") with an injected timeout",
          () -> faults.delete(providerId),
          CloudProviderException.class);
    } finally {
      faults.timeoutRate(0, Duration.ZERO);
    }
    ledger.gone(providerId, name);
    CloudProviderConformanceTest.expectThrows(
        "the retried delete(" + providerId + ") of an instance the timed-out call deleted",
        () -> kit.provider.delete(providerId),
        NodeClaimNotFoundException.class);
    kit.assertGone(providerId);
  }

  /** The instance disappears without a word; get and list must say it is gone. */
  private void vanish(String name) {
    String providerId = ledger.leaving(name);
    trace.add("vanish " + providerId);
    assertThat(faults.vanish(providerId)).as("vanish(%s) of a live instance", providerId).isTrue();
    ledger.gone(providerId, name);
    kit.assertGone(providerId);
  }

  private void createNew() {
    NodeClaimView claim = kit.nodeClaim(kit.claimName(), Requirements.none());
    try {
      Instance instance = kit.launch(claim);
      trace.add("create " + claim.name() + " = " + instance.providerId());
      assertThat(ledger.liveInstances())
          .as("providerID %s returned for a new NodeClaim %s", instance.providerId(), claim.name())
          .doesNotContain(instance.providerId());
      ledger.launched(claim, instance.providerId());
    } catch (InsufficientCapacityException | CreateException e) {
      // allowed once capacity errors are injected: the cheapest offering may be a faulted one
      trace.add("create " + claim.name() + " failed: " + e.getClass().getSimpleName());
      ledger.failed(claim.name());
    }
  }

  private void createAgain(String name) {
    Instance again = kit.launch(ledger.claim(name));
    trace.add("create again " + name + " = " + again.providerId());
    assertThat(again.providerId())
        .as("create of NodeClaim %s a second time must return its instance", name)
        .isEqualTo(ledger.instanceOf(name));
  }

  private void get() {
    if (!ledger.deletedInstances().isEmpty() && (ledger.noneLive() || random.nextBoolean())) {
      String providerId = pick(ledger.deletedInstances());
      trace.add("get deleted " + providerId);
      kit.assertGone(providerId);
      return;
    }
    if (ledger.noneLive()) {
      createNew();
      return;
    }
    String providerId = ledger.instanceOf(pick(ledger.liveNames()));
    trace.add("get " + providerId);
    Instance got = kit.provider.get(providerId);
    assertThat(got).as("get(%s) of a live instance", providerId).isNotNull();
    assertThat(got.providerId()).isEqualTo(providerId);
  }

  private void delete(String name) {
    String providerId = ledger.leaving(name);
    trace.add("delete " + providerId);
    kit.provider.delete(providerId);
    ledger.gone(providerId, name);
    kit.assertGone(providerId);
  }

  private void deleteAgain() {
    if (ledger.deletedInstances().isEmpty()) {
      createNew();
      return;
    }
    String providerId = pick(ledger.deletedInstances());
    trace.add("delete again " + providerId);
    CloudProviderConformanceTest.expectThrows(
        "delete(" + providerId + ") of an instance already deleted",
        () -> kit.provider.delete(providerId),
        NodeClaimNotFoundException.class);
  }

  private void capacityError() {
    List<InstanceType> types =
        kit.provider.instanceTypes(kit.nodePool(), kit.nodeClass()).stream()
            .filter(it -> !it.availableOfferings().isEmpty())
            .toList();
    if (types.isEmpty()) {
      return;
    }
    InstanceType type = types.get(random.nextInt(types.size()));
    Offering offering =
        type.availableOfferings().get(random.nextInt(type.availableOfferings().size()));
    OfferingKey key = offering.key(type.name());
    if (!kit.forceInsufficientCapacity(key)) {
      trace.add("no capacity error injected (backend cannot)");
      return;
    }
    NodeClaimView claim =
        kit.nodeClaim(
            kit.claimName(),
            Requirements.of(
                Requirement.in(WellKnownLabels.INSTANCE_TYPE, type.name()),
                Requirement.in(WellKnownLabels.ZONE, offering.zone()),
                Requirement.in(WellKnownLabels.CAPACITY_TYPE, offering.capacityType())));
    trace.add("capacity error on " + key + ", create " + claim.name());
    ledger.failed(claim.name());
    InsufficientCapacityException e =
        CloudProviderConformanceTest.expectThrows(
            "create(" + claim.name() + ") pinned to the offering made to fail " + key,
            () -> kit.launch(claim),
            InsufficientCapacityException.class);
    assertThat(e.offerings()).as("offerings named by %s", e.getMessage()).contains(key);
  }

  /**
   * A fault under the provider's own clients ({@link
   * CloudProviderConformanceTest#injectWireFault}): once (the provider's retry should absorb it) or
   * persistently (it must surface), on one call.
   */
  private void wireFault() {
    if (ledger.noneLive()) {
      createNew();
      return;
    }
    if (wireFaults.isEmpty()) {
      // every call x fault x (once, persistent) before any repeats, in a seeded order
      for (CloudCall c : CloudCall.values()) {
        for (WireFault f : WireFault.values()) {
          wireFaults.add(new WireStep(c, f, false));
          wireFaults.add(new WireStep(c, f, true));
        }
      }
      Collections.shuffle(wireFaults, random);
    }
    WireStep next = wireFaults.remove(wireFaults.size() - 1);
    CloudCall call = next.call();
    WireFault fault = next.fault();
    // a persistent timeout costs the client's timeout per attempt: a few, not many
    int times = !next.persistent() ? 1 : fault == WireFault.TIMEOUT ? 3 : PERSISTENT;
    if (!kit.injectWireFault(call, fault, times)) {
      trace.add("no wire fault injected (backend cannot)");
      return;
    }
    String what = fault + " x" + times + " on " + call;
    try {
      switch (call) {
        case CREATE -> createUnderFault(what);
        case GET -> getUnderFault(what, pick(ledger.liveNames()));
        case DELETE -> deleteUnderFault(what, pick(ledger.liveNames()));
        default -> listUnderFault(what);
      }
    } finally {
      kit.clearWireFaults();
    }
  }

  private void createUnderFault(String what) {
    NodeClaimView claim = kit.nodeClaim(kit.claimName(), Requirements.none());
    try {
      Instance instance = kit.launch(claim);
      trace.add(what + ": create " + claim.name() + " = " + instance.providerId() + " (retried)");
      ledger.launched(claim, instance.providerId());
      return;
    } catch (InsufficientCapacityException e) {
      throw new AssertionError(
          "%s: create(%s) read the fault as insufficient capacity (the core would mark %s"
                  .formatted(what, claim.name(), e.offerings())
              + " unavailable for a fault that says nothing about capacity): "
              + e.getMessage(),
          e);
    } catch (RuntimeException surfaced) {
      trace.add(what + ": create " + claim.name() + " surfaced " + describe(surfaced));
    }
    kit.clearWireFaults();
    // the core retries a transient failure with the same NodeClaim: one instance, not two
    retryCreate(claim);
  }

  private void getUnderFault(String what, String name) {
    String providerId = ledger.instanceOf(name);
    try {
      Instance got = kit.provider.get(providerId);
      assertThat(got).as("%s: get(%s) of a live instance", what, providerId).isNotNull();
      assertThat(got.providerId()).isEqualTo(providerId);
      trace.add(what + ": get " + providerId + " (retried)");
    } catch (NodeClaimNotFoundException e) {
      throw new AssertionError(
          "%s: get(%s) of a live instance said not found: the core would delete its NodeClaim"
              .formatted(what, providerId),
          e);
    } catch (RuntimeException surfaced) {
      trace.add(what + ": get " + providerId + " surfaced " + describe(surfaced));
    }
  }

  private void deleteUnderFault(String what, String name) {
    String providerId = ledger.leaving(name);
    ledger.gone(providerId, name);
    try {
      kit.provider.delete(providerId);
      trace.add(what + ": delete " + providerId + " (retried)");
    } catch (NodeClaimNotFoundException notFound) {
      // right only if the instance really is gone (a timed-out attempt deleted it, the retry
      // found nothing): a throttle or 5xx read as not found would leave it running, unowned
      trace.add(what + ": delete " + providerId + " said not found");
      assertGoneAfter(what, providerId);
      return;
    } catch (RuntimeException surfaced) {
      trace.add(what + ": delete " + providerId + " surfaced " + describe(surfaced));
      kit.clearWireFaults();
      try {
        kit.provider.delete(providerId);
      } catch (NodeClaimNotFoundException alreadyGone) {
        trace.add("retry delete " + providerId + ": already gone");
      }
    }
    assertGoneAfter(what, providerId);
  }

  private void assertGoneAfter(String what, String providerId) {
    kit.clearWireFaults();
    try {
      kit.assertGone(providerId);
    } catch (AssertionError e) {
      throw new AssertionError(
          "%s: delete(%s) returned or said not found, yet the instance is still there (a leak): %s"
              .formatted(what, providerId, e.getMessage()),
          e);
    }
  }

  private void listUnderFault(String what) {
    List<Instance> listed;
    try {
      listed = kit.provider.list();
    } catch (RuntimeException surfaced) {
      trace.add(what + ": list surfaced " + describe(surfaced));
      return;
    }
    trace.add(what + ": list (retried)");
    Set<String> ids =
        listed.stream().map(Instance::providerId).collect(Collectors.toCollection(HashSet::new));
    for (String providerId : ledger.liveInstances()) {
      assertThat(ids)
          .as(
              "%s: list() returned without live instance %s: a failure read as nothing there"
                  + " (the core would garbage-collect its NodeClaim's node)",
              what, providerId)
          .contains(providerId);
    }
  }

  private long count(String outcome) {
    return trace.stream().filter(t -> t.contains(outcome)).count();
  }

  private static String describe(Throwable e) {
    String msg = String.valueOf(e.getMessage());
    return e.getClass().getSimpleName()
        + "("
        + (msg.length() > 120 ? msg.substring(0, 120) : msg)
        + ")";
  }

  private String pick(Set<String> from) {
    List<String> list = new ArrayList<>(from);
    return list.get(random.nextInt(list.size()));
  }
}
