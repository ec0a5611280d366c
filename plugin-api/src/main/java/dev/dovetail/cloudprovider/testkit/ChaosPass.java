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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The kit's chaos pass: a seeded random sequence of create (new and repeated), get, delete (live
 * and already deleted), list and injected capacity errors against one provider, plus cloud faults
 * injected through {@link FaultInjectingCloudProvider} around it (a create or delete that reached
 * the cloud but timed out on the way back, a create refused by throttling, an instance that
 * vanishes), each retried as the core retries it. After every step it checks what the core relies
 * on: one instance per NodeClaim (a retried create returns the instance already launched), nothing
 * left behind by a failed create, deleted or vanished instances gone (or terminating), every live
 * instance listed. A failure prints the seed and the steps so far, so it can be replayed.
 */
final class ChaosPass {

  private final CloudProviderConformanceTest kit;
  private final long seed;
  private final Random random;
  private final FaultInjectingCloudProvider faults;

  /** NodeClaim name -> the claim, for claims with a live instance. */
  private final Map<String, NodeClaimView> liveClaims = new LinkedHashMap<>();

  /** NodeClaim name -> providerID of its live instance. */
  private final Map<String, String> live = new LinkedHashMap<>();

  /** providerID -> NodeClaim name, for deleted instances. */
  private final Map<String, String> deleted = new LinkedHashMap<>();

  /** NodeClaims whose create failed: no instance may exist for them. */
  private final Set<String> failed = new HashSet<>();

  private final List<String> trace = new ArrayList<>();

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
        step(random.nextInt(11));
        checkList();
      }
      for (String claim : new ArrayList<>(live.keySet())) {
        delete(claim);
      }
      checkList();
      trace.add("end: " + (deleted.size()) + " deleted, " + failed.size() + " failed creates");
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
        if (live.isEmpty()) {
          createNew();
        } else {
          createAgain(pick(live.keySet()));
        }
      }
      case 3 -> get();
      case 4 -> {
        if (live.isEmpty()) {
          createNew();
        } else {
          delete(pick(live.keySet()));
        }
      }
      case 5 -> deleteAgain();
      case 6 -> capacityError();
      case 7 -> createTimedOut();
      case 8 -> createThrottled();
      case 9 -> {
        if (live.isEmpty()) {
          createNew();
        } else {
          deleteTimedOut(pick(live.keySet()));
        }
      }
      default -> {
        if (live.isEmpty()) {
          createNew();
        } else {
          vanish(pick(live.keySet()));
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
      failed.add(claim.name());
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
      liveClaims.put(claim.name(), claim);
      live.put(claim.name(), instance.providerId());
    } catch (InsufficientCapacityException | CreateException e) {
      trace.add("retry create " + claim.name() + " failed: " + e.getClass().getSimpleName());
      // the timed-out create may have launched one: the core deletes it, as garbage collection
      // would an instance whose NodeClaim is gone
      for (Instance orphan : kit.listed()) {
        if (claim.name().equals(orphan.nodeClaim())
            && !kit.terminatingStates().contains(orphan.state())) {
          kit.provider.delete(orphan.providerId());
          deleted.put(orphan.providerId(), claim.name());
        }
      }
      failed.add(claim.name());
    }
  }

  /** The delete reaches the cloud, its answer times out; the retry finds the instance gone. */
  private void deleteTimedOut(String name) {
    String providerId = live.remove(name);
    liveClaims.remove(name);
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
    deleted.put(providerId, name);
    CloudProviderConformanceTest.expectThrows(
        "the retried delete(" + providerId + ") of an instance the timed-out call deleted",
        () -> kit.provider.delete(providerId),
        NodeClaimNotFoundException.class);
    kit.assertGone(providerId);
  }

  /** The instance disappears without a word; get and list must say it is gone. */
  private void vanish(String name) {
    String providerId = live.remove(name);
    liveClaims.remove(name);
    trace.add("vanish " + providerId);
    assertThat(faults.vanish(providerId)).as("vanish(%s) of a live instance", providerId).isTrue();
    deleted.put(providerId, name);
    kit.assertGone(providerId);
  }

  private void createNew() {
    NodeClaimView claim = kit.nodeClaim(kit.claimName(), Requirements.none());
    try {
      Instance instance = kit.launch(claim);
      trace.add("create " + claim.name() + " = " + instance.providerId());
      assertThat(live.values())
          .as("providerID %s returned for a new NodeClaim %s", instance.providerId(), claim.name())
          .doesNotContain(instance.providerId());
      liveClaims.put(claim.name(), claim);
      live.put(claim.name(), instance.providerId());
    } catch (InsufficientCapacityException | CreateException e) {
      // allowed once capacity errors are injected: the cheapest offering may be a faulted one
      trace.add("create " + claim.name() + " failed: " + e.getClass().getSimpleName());
      failed.add(claim.name());
    }
  }

  private void createAgain(String name) {
    Instance again = kit.launch(liveClaims.get(name));
    trace.add("create again " + name + " = " + again.providerId());
    assertThat(again.providerId())
        .as("create of NodeClaim %s a second time must return its instance", name)
        .isEqualTo(live.get(name));
  }

  private void get() {
    if (!deleted.isEmpty() && (live.isEmpty() || random.nextBoolean())) {
      String providerId = pick(deleted.keySet());
      trace.add("get deleted " + providerId);
      kit.assertGone(providerId);
      return;
    }
    if (live.isEmpty()) {
      createNew();
      return;
    }
    String name = pick(live.keySet());
    trace.add("get " + live.get(name));
    Instance got = kit.provider.get(live.get(name));
    assertThat(got).as("get(%s) of a live instance", live.get(name)).isNotNull();
    assertThat(got.providerId()).isEqualTo(live.get(name));
  }

  private void delete(String name) {
    String providerId = live.remove(name);
    liveClaims.remove(name);
    trace.add("delete " + providerId);
    kit.provider.delete(providerId);
    deleted.put(providerId, name);
    kit.assertGone(providerId);
  }

  private void deleteAgain() {
    if (deleted.isEmpty()) {
      createNew();
      return;
    }
    String providerId = pick(deleted.keySet());
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
    failed.add(claim.name());
    InsufficientCapacityException e =
        CloudProviderConformanceTest.expectThrows(
            "create(" + claim.name() + ") pinned to the offering made to fail " + key,
            () -> kit.launch(claim),
            InsufficientCapacityException.class);
    assertThat(e.offerings()).as("offerings named by %s", e.getMessage()).contains(key);
  }

  /** list(): one running instance per NodeClaim, every live one present, nothing else of ours. */
  private void checkList() {
    Set<String> terminating = kit.terminatingStates();
    List<Instance> running =
        kit.listed().stream().filter(i -> !terminating.contains(i.state())).toList();
    Map<String, List<String>> byClaim =
        running.stream()
            .filter(i -> i.nodeClaim() != null)
            .collect(
                Collectors.groupingBy(
                    Instance::nodeClaim,
                    Collectors.mapping(Instance::providerId, Collectors.toList())));
    for (Map.Entry<String, String> claim : live.entrySet()) {
      assertThat(byClaim.get(claim.getKey()))
          .as("instances listed for live NodeClaim %s (a duplicate or a lost one)", claim.getKey())
          .containsExactly(claim.getValue());
    }
    for (String name : failed) {
      assertThat(byClaim.get(name))
          .as("instances listed for NodeClaim %s whose create failed (a leak)", name)
          .isNullOrEmpty();
    }
    for (Map.Entry<String, String> gone : deleted.entrySet()) {
      assertThat(running)
          .as("running instances after delete(%s) of NodeClaim %s", gone.getKey(), gone.getValue())
          .noneMatch(i -> gone.getKey().equals(i.providerId()));
    }
  }

  private String pick(Set<String> from) {
    List<String> list = new ArrayList<>(from);
    return list.get(random.nextInt(list.size()));
  }
}
