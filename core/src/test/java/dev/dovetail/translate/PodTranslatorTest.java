package dev.dovetail.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.apis.v1.NodeSelectorRequirementWithMinValues;
import dev.dovetail.cloudprovider.Operator;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.scheduling.HostPort;
import dev.dovetail.scheduling.NodePoolTemplate;
import dev.dovetail.scheduling.SchedulingPod;
import dev.dovetail.scheduling.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodTranslatorTest {

  private static Pod pod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("web-1")
        .withNamespace("shop")
        .addToLabels("app", "web")
        .addToLabels("rev", "7")
        .endMetadata()
        .withNewSpec()
        .addNewInitContainer()
        .withName("init")
        .withNewResources()
        .addToRequests("cpu", new Quantity("2"))
        .addToRequests("memory", new Quantity("64Mi"))
        .endResources()
        .endInitContainer()
        .addNewInitContainer()
        .withName("sidecar")
        .withRestartPolicy("Always")
        .withNewResources()
        .addToRequests("cpu", new Quantity("100m"))
        .addToRequests("memory", new Quantity("32Mi"))
        .endResources()
        .endInitContainer()
        .addNewContainer()
        .withName("app")
        .withNewResources()
        .addToRequests("cpu", new Quantity("500m"))
        .addToRequests("memory", new Quantity("1Gi"))
        .addToLimits("nvidia.com/gpu", new Quantity("1"))
        .endResources()
        .addNewPort()
        .withContainerPort(8080)
        .withHostPort(80)
        .endPort()
        .endContainer()
        .addToOverhead("cpu", new Quantity("10m"))
        .addToNodeSelector(WellKnownLabels.ARCH, "arm64")
        .addNewToleration()
        .withKey("gpu")
        .withOperator("Exists")
        .endToleration()
        .withNewAffinity()
        .withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm()
        .addNewMatchExpression()
        .withKey(WellKnownLabels.ZONE)
        .withOperator("In")
        .withValues("a", "b")
        .endMatchExpression()
        .endNodeSelectorTerm()
        .addNewNodeSelectorTerm()
        .addNewMatchExpression()
        .withKey(WellKnownLabels.CAPACITY_TYPE)
        .withOperator("NotIn")
        .withValues("spot")
        .endMatchExpression()
        .endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewPreferredDuringSchedulingIgnoredDuringExecution()
        .withWeight(5)
        .withNewPreference()
        .addNewMatchExpression()
        .withKey(WellKnownLabels.ZONE)
        .withOperator("In")
        .withValues("a")
        .endMatchExpression()
        .endPreference()
        .endPreferredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity()
        .withNewPodAntiAffinity()
        .addNewRequiredDuringSchedulingIgnoredDuringExecution()
        .withTopologyKey(WellKnownLabels.HOSTNAME)
        .withNewLabelSelector()
        .addToMatchLabels("app", "web")
        .endLabelSelector()
        .withMatchLabelKeys("rev")
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endPodAntiAffinity()
        .endAffinity()
        .addNewTopologySpreadConstraint()
        .withMaxSkew(2)
        .withTopologyKey(WellKnownLabels.ZONE)
        .withWhenUnsatisfiable("ScheduleAnyway")
        .withMinDomains(3)
        .withNodeTaintsPolicy("Honor")
        .withNewLabelSelector()
        .addToMatchLabels("app", "web")
        .endLabelSelector()
        .withMatchLabelKeys("rev")
        .endTopologySpreadConstraint()
        .endSpec()
        .build();
  }

  @Test
  void translatesEveryConstraint() {
    SchedulingPod p = new PodTranslator().translate(pod());
    assertThat(p.id()).isEqualTo("shop/web-1");
    assertThat(p.namespace()).isEqualTo("shop");
    // max(init 2000m, app 500m + sidecar 100m) + overhead 10m; memory: max(64Mi+0, 1Gi+32Mi)
    assertThat(p.requests().get(Resources.CPU)).isEqualTo(2010);
    assertThat(p.requests().get(Resources.MEMORY)).isEqualTo((1L << 30) + (32L << 20));
    assertThat(p.requests().get(Resources.NVIDIA_GPU)).isEqualTo(1);
    assertThat(p.nodeSelector()).containsEntry(WellKnownLabels.ARCH, "arm64");
    assertThat(p.tolerations()).hasSize(1);
    assertThat(p.requiredNodeAffinity()).hasSize(2);
    assertThat(p.requiredNodeAffinity().get(0).get(WellKnownLabels.ZONE).values())
        .containsExactly("a", "b");
    assertThat(p.requiredNodeAffinity().get(1).get(WellKnownLabels.CAPACITY_TYPE).operator())
        .isEqualTo(Operator.NotIn);
    assertThat(p.preferredNodeAffinity()).hasSize(1);
    assertThat(p.preferredNodeAffinity().get(0).weight()).isEqualTo(5);
    assertThat(p.podAntiAffinity()).hasSize(1);
    var anti = p.podAntiAffinity().get(0);
    assertThat(anti.namespaces()).containsExactly("shop");
    assertThat(anti.selector().matches(Map.of("app", "web", "rev", "7"))).isTrue();
    assertThat(anti.selector().matches(Map.of("app", "web", "rev", "6"))).isFalse();
    TopologySpreadConstraint tsc = p.topologySpread().get(0);
    assertThat(tsc.maxSkew()).isEqualTo(2);
    assertThat(tsc.doNotSchedule()).isFalse();
    assertThat(tsc.minDomains()).isEqualTo(3);
    assertThat(tsc.honorNodeAffinity()).isTrue();
    assertThat(tsc.honorNodeTaints()).isTrue();
    assertThat(tsc.selector().matches(Map.of("app", "web", "rev", "6"))).isFalse();
    assertThat(p.hostPorts()).containsExactly(new HostPort("TCP", "0.0.0.0", 80));
  }

  @Test
  void volumeTopologyPinsZone() {
    Pod withVolume =
        new PodBuilder(pod())
            .editSpec()
            .addNewVolume()
            .withName("data")
            .withNewPersistentVolumeClaim()
            .withClaimName("data-0")
            .endPersistentVolumeClaim()
            .endVolume()
            .endSpec()
            .build();
    VolumeTopology vt =
        (ns, name) ->
            ns.equals("shop") && name.equals("data-0")
                ? Requirements.of(Requirement.in(WellKnownLabels.ZONE, "b"))
                : Requirements.none();
    SchedulingPod p = new PodTranslator(vt, null).translate(withVolume);
    assertThat(p.volumeRequirements().get(WellKnownLabels.ZONE).values()).containsExactly("b");
  }

  @Test
  void requirementsRoundTrip() {
    Requirements r =
        Requirements.of(
            Requirement.of("family", Operator.In, List.of("m", "c"), 2),
            Requirement.of("gen", Operator.Gt, List.of("5"), null),
            Requirement.of(WellKnownLabels.CAPACITY_TYPE, Operator.NotIn, "spot"));
    List<NodeSelectorRequirementWithMinValues> api = RequirementsTranslator.toApi(r);
    assertThat(api).hasSize(3);
    assertThat(api.get(0).getMinValues()).isEqualTo(2);
    assertThat(RequirementsTranslator.fromApi(api)).isEqualTo(r);
  }

  @Test
  void nodePoolAndNodeTranslate() {
    NodePool np = new NodePool();
    np.getMetadata().setName("default");
    np.getSpec().setWeight(7);
    np.getSpec().setLimits(Map.of("cpu", new Quantity("100")));
    np.getSpec()
        .getTemplate()
        .getSpec()
        .setRequirements(
            List.of(
                new NodeSelectorRequirementWithMinValues(
                    WellKnownLabels.ARCH, "In", List.of("amd64"), null)));
    NodePoolTemplate t =
        new NodePoolTranslator().translate(np, List.of(), List.of(), Resources.of("cpu", 4000L));
    assertThat(t.weight()).isEqualTo(7);
    assertThat(t.limits().get("cpu")).isEqualTo(100_000);
    assertThat(t.usage().get("cpu")).isEqualTo(4000);
    assertThat(t.requirements().get(WellKnownLabels.ARCH).values()).containsExactly("amd64");

    var node =
        new NodeBuilder()
            .withNewMetadata()
            .withName("n1")
            .addToLabels(WellKnownLabels.NODE_POOL, "default")
            .endMetadata()
            .withNewSpec()
            .addNewTaint()
            .withKey("karpenter.sh/disrupted")
            .withEffect("NoSchedule")
            .endTaint()
            .endSpec()
            .withNewStatus()
            .addToAllocatable("cpu", new Quantity("3900m"))
            .addToAllocatable("pods", new Quantity("110"))
            .endStatus()
            .build();
    var en = new NodeTranslator().fromNode(node, List.of(pod()), false);
    assertThat(en.markedForDeletion()).isTrue();
    assertThat(en.allocatable().get("cpu")).isEqualTo(3900);
    assertThat(en.requested().get("cpu")).isEqualTo(2010);
    assertThat(en.requested().get("pods")).isEqualTo(1);
    assertThat(en.nodePool()).isEqualTo("default");
  }

  @Test
  void plannedClaimBecomesNodeClaim() {
    NodePool np = new NodePool();
    np.getMetadata().setName("default");
    var meta = new dev.dovetail.apis.v1.NodeClaimTemplate.ObjectMeta();
    meta.setLabels(Map.of("team", "a"));
    np.getSpec().getTemplate().setMetadata(meta);
    var it =
        new dev.dovetail.cloudprovider.InstanceType(
            "m.large",
            Requirements.of(Requirement.in(WellKnownLabels.INSTANCE_TYPE, "m.large")),
            List.of(new dev.dovetail.cloudprovider.Offering("z1", "spot", 0.1, true)),
            Resources.of("cpu", 2000L, "memory", 8L << 30, "pods", 110L),
            null);
    NodePoolTemplate t =
        new NodePoolTranslator().translate(np, List.of(it), List.of(), Resources.EMPTY);
    var result =
        new dev.dovetail.scheduling.Scheduler()
            .solve(
                dev.dovetail.scheduling.SchedulingInput.of(
                    List.of(SchedulingPod.builder("shop/web-1").requests(500, 1L << 30).build()),
                    List.of(),
                    List.of(t)));
    assertThat(result.unschedulable()).isEmpty();
    var nc = NodeClaimTranslator.toNodeClaim(result.newNodeClaims().get(0), np, "default-abc");
    assertThat(nc.getMetadata().getLabels())
        .containsEntry("team", "a")
        .containsEntry(WellKnownLabels.NODE_POOL, "default");
    assertThat(nc.getSpec().getRequirements())
        .anySatisfy(
            r -> {
              assertThat(r.getKey()).isEqualTo(WellKnownLabels.INSTANCE_TYPE);
              assertThat(r.getValues()).containsExactly("m.large");
            });
    assertThat(nc.getSpec().getResources().getRequests().get("cpu").toString()).isEqualTo("500m");
  }
}
