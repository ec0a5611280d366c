package dev.dovetail.controllers.provisioning;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.translate.NodeClaimTranslator;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The NodeClaim to create for a planned claim, whoever planned it (provisioning, a disruption
 * replacement, an interruption replacement): the translator's NodeClaim plus what only the
 * controller knows, a generated name, the NodePool hash used for drift, whether minValues were
 * relaxed, and the owner reference.
 */
public final class NodeClaimFactory {
  private static final char[] ALPHABET = "bcdfghjklmnpqrstvwxz2456789".toCharArray();
  private final SecureRandom random = new SecureRandom();

  public NodeClaim build(NodePool pool, NewNodeClaim plan) {
    NodeClaim claim =
        NodeClaimTranslator.toNodeClaim(plan, pool, pool.getMetadata().getName() + "-" + suffix());
    Map<String, String> annotations = new LinkedHashMap<>();
    if (claim.getMetadata().getAnnotations() != null) {
      annotations.putAll(claim.getMetadata().getAnnotations());
    }
    annotations.put(Karpenter.NODEPOOL_HASH_ANNOTATION, NodePoolHash.of(pool));
    annotations.put(Karpenter.NODEPOOL_HASH_VERSION_ANNOTATION, NodePoolHash.VERSION);
    // As upstream, every planned NodeClaim says whether BestEffort lowered its minValues.
    annotations.put(
        Karpenter.NODECLAIM_MIN_VALUES_RELAXED_ANNOTATION, String.valueOf(plan.minValuesRelaxed()));
    claim.getMetadata().setAnnotations(annotations);
    claim
        .getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion(Karpenter.API_VERSION)
                    .withKind("NodePool")
                    .withName(pool.getMetadata().getName())
                    .withUid(pool.getMetadata().getUid())
                    .withBlockOwnerDeletion(true)
                    .build()));
    return claim;
  }

  /** Like Kubernetes' generateName: five characters that cannot spell words. */
  private String suffix() {
    char[] c = new char[5];
    for (int i = 0; i < c.length; i++) {
      c[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new String(c);
  }
}
