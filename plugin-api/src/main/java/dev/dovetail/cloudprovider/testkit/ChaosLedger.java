package dev.dovetail.cloudprovider.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.Instance;
import dev.dovetail.cloudprovider.NodeClaimView;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a {@link ChaosPass} knows the cloud must hold after its steps, as the core would know it:
 * the live NodeClaims and their instances, the instances deleted or vanished, the NodeClaims whose
 * create failed; and the check of the provider's {@code list()} against it after every step.
 */
final class ChaosLedger {
  /** NodeClaim name -> the claim, for claims with a live instance. */
  private final Map<String, NodeClaimView> liveClaims = new LinkedHashMap<>();

  /** NodeClaim name -> providerID of its live instance. */
  private final Map<String, String> live = new LinkedHashMap<>();

  /** providerID -> NodeClaim name, for deleted instances. */
  private final Map<String, String> deleted = new LinkedHashMap<>();

  /** NodeClaims whose create failed: no instance may exist for them. */
  private final Set<String> failed = new HashSet<>();

  /** The claim's create returned this instance. */
  void launched(NodeClaimView claim, String providerId) {
    liveClaims.put(claim.name(), claim);
    live.put(claim.name(), providerId);
  }

  /** The claim's instance is on its way out: no longer live; returns its providerID. */
  String leaving(String name) {
    liveClaims.remove(name);
    return live.remove(name);
  }

  /** The instance was deleted (or vanished): it must not run any more. */
  void gone(String providerId, String name) {
    deleted.put(providerId, name);
  }

  /** The claim's create failed: no instance of it may run. */
  void failed(String name) {
    failed.add(name);
  }

  boolean noneLive() {
    return live.isEmpty();
  }

  /** The names of the live NodeClaims (a view). */
  Set<String> liveNames() {
    return live.keySet();
  }

  /** The providerIDs of the live instances (a view). */
  java.util.Collection<String> liveInstances() {
    return live.values();
  }

  NodeClaimView claim(String name) {
    return liveClaims.get(name);
  }

  String instanceOf(String name) {
    return live.get(name);
  }

  /** The providerIDs deleted so far (a view). */
  Set<String> deletedInstances() {
    return deleted.keySet();
  }

  int failedCount() {
    return failed.size();
  }

  /** list(): one running instance per NodeClaim, every live one present, nothing else of ours. */
  void check(CloudProviderConformanceTest kit) {
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
}
