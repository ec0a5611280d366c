package dev.dovetail.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvisioningFidelityTest {
  private static Pod pod(String name, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .endSpec()
        .build();
  }

  @Test
  void aPodReNominatedToTheNodeItsClaimBecameWasPlannedOnce() {
    // nominated to claim c1; once c1 registered as node n1 the provisioner nominated it to n1
    ProvisioningRecorder.Fidelity f =
        ProvisioningRecorder.Fidelity.of(
            Map.of("default/a", List.of("c1", "n1")), Map.of("c1", "n1"), List.of(pod("a", "n1")));

    assertThat(f.reprovisioned()).isZero();
    assertThat(f.boundAsNominated()).isEqualTo(1);
    assertThat(f.elsewhere()).isEmpty();
  }

  @Test
  void aPodPlannedOnAnotherClaimIsReprovisionedAndJudgedByItsLastNomination() {
    ProvisioningRecorder.Fidelity f =
        ProvisioningRecorder.Fidelity.of(
            Map.of(
                "default/a", List.of("c1", "c2"),
                "default/b", List.of("c1", "c2", "c1"),
                "default/c", List.of("c1")),
            Map.of("c1", "n1", "c2", "n2"),
            List.of(pod("a", "n2"), pod("b", "n2"), pod("c", "n2"), pod("d", "n1")));

    assertThat(f.reprovisioned()).isEqualTo(2);
    assertThat(f.boundAsNominated()).isEqualTo(1);
    assertThat(f.elsewhere())
        .containsExactlyInAnyOrder(
            "default/b nominated to [c1, c2, c1] (nodes [n1, n2]), bound to n2",
            "default/c nominated to [c1] (nodes [n1]), bound to n2");
  }
}
