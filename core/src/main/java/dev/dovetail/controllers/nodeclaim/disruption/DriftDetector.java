package dev.dovetail.controllers.nodeclaim.disruption;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.controllers.provisioning.NodePoolHash;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.translate.RequirementsTranslator;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drift as upstream's nodeclaim/disruption: the NodePool's template hash changed ({@code
 * NodePoolDrifted}), the node's labels no longer satisfy the NodePool's requirements ({@code
 * RequirementsDrifted}), or the provider says the NodeClass changed (its own reason, e.g. a newer
 * image). The provider's answer is reused for a while per NodeClaim (it may call the cloud); the
 * two local checks run every time.
 */
final class DriftDetector {
  /** The answer: drifted with a reason, not drifted, or unknown (the provider failed). */
  record Verdict(String reason, RuntimeException error) {
    static final Verdict NOT_DRIFTED = new Verdict(null, null);

    boolean drifted() {
      return reason != null;
    }

    boolean unknown() {
      return error != null;
    }
  }

  /** How long the provider's answer is reused (upstream re-checks drift every 5 minutes). */
  static final Duration RECHECK = Duration.ofMinutes(5);

  private final CloudProviderFacade cloud;
  private final Clock clock;
  private final Duration recheck;

  /** The provider's last answer per NodeClaim (uid): only answers, never failures. */
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();

  private record Answer(Optional<String> reason, Instant at) {}

  DriftDetector(CloudProviderFacade cloud, Clock clock, Duration recheck) {
    this.cloud = cloud;
    this.clock = clock;
    this.recheck = recheck;
  }

  Verdict check(NodeClaim claim, Optional<Node> node, NodePool pool) {
    Map<String, String> ann =
        claim.getMetadata().getAnnotations() == null
            ? Map.of()
            : claim.getMetadata().getAnnotations();
    String hash = ann.get(Karpenter.NODEPOOL_HASH_ANNOTATION);
    String version = ann.get(Karpenter.NODEPOOL_HASH_VERSION_ANNOTATION);
    if (hash != null
        && NodePoolHash.VERSION.equals(version)
        && !hash.equals(NodePoolHash.of(pool))) {
      return new Verdict("NodePoolDrifted", null);
    }
    if (node.isPresent() && node.get().getMetadata().getLabels() != null) {
      Map<String, String> labels = node.get().getMetadata().getLabels();
      Requirements reqs =
          RequirementsTranslator.fromApi(pool.getSpec().getTemplate().getSpec().getRequirements());
      for (Requirement r : reqs.all()) {
        String v = labels.get(r.key());
        if (v != null && !r.has(v)) {
          return new Verdict("RequirementsDrifted", null);
        }
      }
    }
    return providerAnswer(claim);
  }

  /**
   * The provider's answer, reused for {@link #recheck}. A failure is not an answer: it is never
   * kept, so the next pass asks again rather than reading "not drifted" from it.
   */
  private Verdict providerAnswer(NodeClaim claim) {
    String key =
        claim.getMetadata().getUid() != null
            ? claim.getMetadata().getUid()
            : claim.getMetadata().getName();
    Instant now = clock.instant();
    Answer known = answers.get(key);
    if (known == null || !now.isBefore(known.at().plus(recheck))) {
      Optional<String> reason;
      try {
        reason = cloud.provider().isDrifted(cloud.view(claim));
      } catch (RuntimeException e) {
        answers.remove(key);
        return new Verdict(null, e);
      }
      known = new Answer(reason == null ? Optional.empty() : reason, now);
      answers.put(key, known);
    }
    return known.reason().map(r -> new Verdict(r, null)).orElse(Verdict.NOT_DRIFTED);
  }

  /** Forgets answers about NodeClaims that are gone (by uid or name). */
  void retainOnly(java.util.Set<String> keys) {
    answers.keySet().retainAll(keys);
  }
}
