package dev.dovetail.controllers.disruption;

import dev.dovetail.apis.v1.Karpenter;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeClaimSpec;
import dev.dovetail.apis.v1.NodeClaimTemplateSpec;
import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.controllers.provisioning.NodePoolHash;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.scheduling.NewNodeClaim;
import dev.dovetail.translate.RequirementsTranslator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the NodeClaim for a planned replacement, as provisioning builds one for pending pods. */
public final class ReplacementClaims {
  private static final char[] ALPHABET = "bcdfghjklmnpqrstvwxz2456789".toCharArray();
  private final SecureRandom random = new SecureRandom();

  public NodeClaim build(NodePool pool, NewNodeClaim plan) {
    NodeClaimTemplateSpec template = pool.getSpec().getTemplate().getSpec();
    Map<String, String> labels = new LinkedHashMap<>(plan.labels());
    labels.put(WellKnownLabels.NODE_POOL, pool.getMetadata().getName());
    Map<String, String> annotations = new LinkedHashMap<>();
    if (pool.getSpec().getTemplate().getMetadata() != null
        && pool.getSpec().getTemplate().getMetadata().getAnnotations() != null) {
      annotations.putAll(pool.getSpec().getTemplate().getMetadata().getAnnotations());
    }
    annotations.put(Karpenter.NODEPOOL_HASH_ANNOTATION, NodePoolHash.of(pool));
    annotations.put(Karpenter.NODEPOOL_HASH_VERSION_ANNOTATION, NodePoolHash.VERSION);
    NodeClaim claim = new NodeClaim();
    claim.setMetadata(
        new ObjectMetaBuilder()
            .withName(pool.getMetadata().getName() + "-" + suffix())
            .withLabels(labels)
            .withAnnotations(annotations)
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion(Karpenter.API_VERSION)
                    .withKind("NodePool")
                    .withName(pool.getMetadata().getName())
                    .withUid(pool.getMetadata().getUid())
                    .withBlockOwnerDeletion(true)
                    .build())
            .build());
    NodeClaimSpec spec = new NodeClaimSpec();
    spec.setTaints(template.getTaints());
    spec.setStartupTaints(template.getStartupTaints());
    spec.setRequirements(RequirementsTranslator.toApi(plan.requirements()));
    NodeClaimSpec.ResourceRequirements resources = new NodeClaimSpec.ResourceRequirements();
    resources.setRequests(CloudProviderFacade.quantities(plan.requests()));
    spec.setResources(resources);
    spec.setNodeClassRef(template.getNodeClassRef());
    spec.setExpireAfter(template.getExpireAfter());
    spec.setTerminationGracePeriod(template.getTerminationGracePeriod());
    claim.setSpec(spec);
    return claim;
  }

  private String suffix() {
    char[] c = new char[5];
    for (int i = 0; i < c.length; i++) {
      c[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new String(c);
  }
}
