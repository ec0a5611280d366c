package dev.dovetail.apis.v1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The beans read and write upstream's wire format, and apply upstream's defaults. */
class ApiRoundTripTest {

  private static final String MINIMAL_NODEPOOL =
      """
      apiVersion: karpenter.sh/v1
      kind: NodePool
      metadata:
        name: default
      spec:
        template:
          spec:
            requirements:
              - key: kubernetes.io/arch
                operator: In
                values: ["amd64"]
            nodeClassRef:
              group: karpenter.k8s.aws
              kind: EC2NodeClass
              name: default
      """;

  @Test
  void omittedFieldsTakeUpstreamDefaults() {
    NodePool pool = Serialization.unmarshal(MINIMAL_NODEPOOL, NodePool.class);
    assertThat(pool.getMetadata().getName()).isEqualTo("default");
    Disruption disruption = pool.getSpec().getDisruption();
    assertThat(disruption.getConsolidationPolicy()).isEqualTo("WhenEmptyOrUnderutilized");
    assertThat(disruption.getConsolidateAfter()).isEqualTo("0s");
    assertThat(disruption.getBudgets())
        .singleElement()
        .extracting(Budget::getNodes)
        .isEqualTo("10%");
    assertThat(pool.getSpec().getTemplate().getSpec().getExpireAfter()).isEqualTo("720h");
    assertThat(pool.getSpec().getWeight()).isNull();
    assertThat(pool.getSpec().getReplicas()).isNull();
    NodeSelectorRequirementWithMinValues req =
        pool.getSpec().getTemplate().getSpec().getRequirements().get(0);
    assertThat(req.getKey()).isEqualTo("kubernetes.io/arch");
    assertThat(req.getOperator()).isEqualTo("In");
    assertThat(req.getValues()).containsExactly("amd64");
    assertThat(req.getMinValues()).isNull();
  }

  @Test
  void everyFieldSurvivesARoundTrip() {
    NodePool pool = new NodePool();
    pool.getMetadata().setName("gpu");
    NodePoolSpec spec = pool.getSpec();
    spec.setWeight(50);
    spec.setLimits(Map.of("cpu", new Quantity("1000"), "memory", new Quantity("1000Gi")));
    NodeClaimTemplate template = spec.getTemplate();
    NodeClaimTemplate.ObjectMeta meta = new NodeClaimTemplate.ObjectMeta();
    meta.setLabels(Map.of("team", "ml"));
    meta.setAnnotations(Map.of("example.com/owner", "ml"));
    template.setMetadata(meta);
    NodeClaimTemplateSpec ts = template.getSpec();
    ts.setTaints(
        List.of(new TaintBuilder().withKey("nvidia.com/gpu").withEffect("NoSchedule").build()));
    ts.setStartupTaints(
        List.of(new TaintBuilder().withKey("example.com/init").withEffect("NoExecute").build()));
    ts.setRequirements(
        List.of(
            new NodeSelectorRequirementWithMinValues(
                "node.kubernetes.io/instance-type", "In", List.of("a", "b", "c"), 2),
            new NodeSelectorRequirementWithMinValues(
                "karpenter.k8s.aws/instance-generation", "Gte", List.of("5"), null)));
    ts.setNodeClassRef(new NodeClassReference("karpenter.k8s.aws", "EC2NodeClass", "gpu"));
    ts.setExpireAfter("Never");
    ts.setTerminationGracePeriod("48h");
    Budget scheduled = new Budget("0");
    scheduled.setSchedule("0 9 * * mon-fri");
    scheduled.setDuration("8h");
    scheduled.setReasons(List.of("Drifted", "Underutilized"));
    spec.getDisruption().setBudgets(List.of(new Budget("20%"), scheduled));
    spec.getDisruption().setConsolidationPolicy(Disruption.BALANCED);
    spec.getDisruption().setConsolidateAfter("5m");

    String yaml = Serialization.asYaml(pool);
    assertThat(yaml).contains("apiVersion: \"karpenter.sh/v1\"", "kind: \"NodePool\"");
    NodePool back = Serialization.unmarshal(yaml, NodePool.class);
    assertThat(Serialization.asYaml(back)).isEqualTo(yaml);
    assertThat(back.getSpec().getDisruption().getBudgets().get(1).getReasons())
        .containsExactly("Drifted", "Underutilized");
    assertThat(back.getSpec().getTemplate().getSpec().getRequirements().get(0).getMinValues())
        .isEqualTo(2);
    assertThat(back.getSpec().getTemplate().getSpec().getTaints().get(0).getEffect())
        .isEqualTo("NoSchedule");
  }

  @Test
  void staticNodePoolKeepsReplicas() {
    NodePool pool =
        Serialization.unmarshal(
            MINIMAL_NODEPOOL.replace("spec:\n  template:", "spec:\n  replicas: 3\n  template:"),
            NodePool.class);
    assertThat(pool.getSpec().getReplicas()).isEqualTo(3L);
  }

  @Test
  void nodeClaimStatusUsesUpstreamFieldNames() {
    NodeClaim claim =
        Serialization.unmarshal(
            """
            apiVersion: karpenter.sh/v1
            kind: NodeClaim
            metadata:
              name: default-abcde
            spec:
              requirements:
                - key: karpenter.sh/nodepool
                  operator: In
                  values: ["default"]
              nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
              resources:
                requests: {cpu: 1500m, memory: 2Gi}
            status:
              providerID: aws:///us-west-2a/i-0123
              imageID: ami-0123
              nodeName: ip-10-0-0-1
              capacity: {cpu: "2", memory: 8Gi}
              conditions:
                - type: Launched
                  status: "True"
                  reason: Launched
                  message: ""
                  lastTransitionTime: "2026-01-01T00:00:00Z"
            """,
            NodeClaim.class);
    assertThat(claim.getSpec().getExpireAfter()).isEqualTo("720h");
    assertThat(claim.getSpec().getResources().getRequests().get("cpu"))
        .isEqualTo(new Quantity("1500m"));
    assertThat(claim.getStatus().getProviderID()).isEqualTo("aws:///us-west-2a/i-0123");
    assertThat(claim.getStatus().getConditions()).extracting("type").containsExactly("Launched");
    String json = Serialization.asJson(claim);
    assertThat(json).contains("\"providerID\":", "\"imageID\":").doesNotContain("providerId");
  }
}
