package dev.dovetail.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.Offering;
import dev.dovetail.cloudprovider.Requirement;
import dev.dovetail.cloudprovider.Requirements;
import dev.dovetail.cloudprovider.Resources;
import dev.dovetail.cloudprovider.WellKnownLabels;
import dev.dovetail.controllers.Harness;
import dev.dovetail.scheduling.ExistingNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeTranslatorTest {
  private static final long GI = 1L << 30;

  private static InstanceType type(String name, int cores, long memGi) {
    return new InstanceType(
        name,
        Requirements.of(
            Requirement.in(WellKnownLabels.INSTANCE_TYPE, name),
            Requirement.in(WellKnownLabels.ARCH, "amd64"),
            Requirement.in(WellKnownLabels.OS, "linux")),
        List.of(new Offering("zone-a", "on-demand", 0.1 * cores, true)),
        Resources.of(Resources.CPU, cores * 1000L, Resources.MEMORY, memGi * GI, "pods", 110L),
        null);
  }

  private static final Map<String, InstanceType> POOL = new LinkedHashMap<>();

  static {
    for (InstanceType it :
        List.of(type("tiny", 1, 1), type("cpu", 8, 4), type("mem", 2, 32), type("big", 16, 64))) {
      POOL.put(it.name(), it);
    }
  }

  private static NodeClaim inFlight(String... options) {
    NodeClaim claim = Harness.nodeClaim("claim-a", null);
    claim
        .getSpec()
        .setRequirements(List.of(Harness.req(WellKnownLabels.INSTANCE_TYPE, "In", options)));
    return claim;
  }

  @Test
  void anUnlaunchedClaimIsSizedAsTheSmallestOfItsOptionsPerResource() {
    ExistingNode node =
        new NodeTranslator().fromInFlightNodeClaim(inFlight("cpu", "mem", "gone"), POOL, List.of());

    // the least cpu of cpu and mem (2 cores), the least memory (4 GiB): nothing over-committed;
    // an option the pool no longer offers ("gone") and the pool's other types do not count
    assertThat(node.allocatable().get(Resources.CPU)).isEqualTo(2_000L);
    assertThat(node.allocatable().get(Resources.MEMORY)).isEqualTo(4 * GI);
    assertThat(node.inFlight()).isTrue();
  }

  @Test
  void aClaimExcludingSomeTypesIsSizedFromThePoolsOthers() {
    NodeClaim claim = Harness.nodeClaim("claim-b", null);
    claim
        .getSpec()
        .setRequirements(
            List.of(Harness.req(WellKnownLabels.INSTANCE_TYPE, "NotIn", "tiny", "mem")));

    ExistingNode node = new NodeTranslator().fromInFlightNodeClaim(claim, POOL, List.of());

    assertThat(node.allocatable().get(Resources.CPU)).isEqualTo(8_000L);
    assertThat(node.allocatable().get(Resources.MEMORY)).isEqualTo(4 * GI);
  }
}
