package dev.dovetail.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.apis.v1.NodeSelectorRequirementWithMinValues;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VolumeTopologiesTest {

  private static PersistentVolumeClaim pvc(String name, String volume, String sc) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ns")
        .endMetadata()
        .withNewSpec()
        .withVolumeName(volume)
        .withStorageClassName(sc)
        .endSpec()
        .build();
  }

  @Test
  void boundVolumePinsItsZoneAndStorageClassLimitsUnbound() {
    PersistentVolume pv =
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName("pv-1")
            .endMetadata()
            .withNewSpec()
            .withNewNodeAffinity()
            .withNewRequired()
            .addNewNodeSelectorTerm()
            .addNewMatchExpression()
            .withKey(WellKnownLabels.ZONE)
            .withOperator("In")
            .withValues("zone-b")
            .endMatchExpression()
            .endNodeSelectorTerm()
            .endRequired()
            .endNodeAffinity()
            .endSpec()
            .build();
    StorageClass sc =
        new StorageClassBuilder()
            .withNewMetadata()
            .withName("regional")
            .endMetadata()
            .withAllowedTopologies(
                new io.fabric8.kubernetes.api.model.TopologySelectorTermBuilder()
                    .addNewMatchLabelExpression()
                    .withKey(WellKnownLabels.ZONE)
                    .withValues("zone-a")
                    .endMatchLabelExpression()
                    .build(),
                new io.fabric8.kubernetes.api.model.TopologySelectorTermBuilder()
                    .addNewMatchLabelExpression()
                    .withKey(WellKnownLabels.ZONE)
                    .withValues("zone-c")
                    .endMatchLabelExpression()
                    .build())
            .build();
    Map<String, PersistentVolumeClaim> claims =
        Map.of(
            "ns/bound", pvc("bound", "pv-1", "regional"), "ns/new", pvc("new", null, "regional"));
    VolumeTopologies vt =
        new VolumeTopologies(claims::get, Map.of("pv-1", pv)::get, Map.of("regional", sc)::get);
    assertThat(vt.requirementsFor("ns", "bound").get(WellKnownLabels.ZONE).values())
        .containsExactly("zone-b");
    assertThat(vt.requirementsFor("ns", "new").get(WellKnownLabels.ZONE).values())
        .containsExactly("zone-a", "zone-c");
    assertThat(vt.requirementsFor("ns", "missing").isEmpty()).isTrue();
  }

  @Test
  void inFlightNodeClaimUsesSmallestOptionUntilLaunched() {
    NodeClaim claim = new NodeClaim();
    claim.getMetadata().setName("default-x");
    claim.getMetadata().setLabels(Map.of(WellKnownLabels.NODE_POOL, "default"));
    claim
        .getSpec()
        .setRequirements(
            List.of(
                new NodeSelectorRequirementWithMinValues(
                    WellKnownLabels.INSTANCE_TYPE, "In", List.of("small", "big"), null),
                new NodeSelectorRequirementWithMinValues(
                    WellKnownLabels.ZONE, "In", List.of("zone-a"), null)));
    InstanceType small = type("small", 2000);
    InstanceType big = type("big", 8000);
    var node =
        new NodeTranslator()
            .fromInFlightNodeClaim(claim, Map.of("small", small, "big", big), List.of());
    assertThat(node.inFlight()).isTrue();
    assertThat(node.allocatable().get(Resources.CPU)).isEqualTo(2000);
    assertThat(node.labels()).containsEntry(WellKnownLabels.ZONE, "zone-a");
    assertThat(node.nodePool()).isEqualTo("default");
  }

  private static InstanceType type(String name, long cpu) {
    return new InstanceType(
        name,
        Requirements.of(Requirement.in(WellKnownLabels.INSTANCE_TYPE, name)),
        List.of(new Offering("zone-a", "on-demand", cpu / 1000.0, true)),
        Resources.of(Resources.CPU, cpu, Resources.MEMORY, 4L << 30, Resources.PODS, 110L),
        null);
  }
}
