package dev.dovetail.controllers.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodePool;
import dev.dovetail.controllers.Harness;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeClaimFactoryTest {
  private final NodePool pool = Harness.nodePool("general", List.of());

  @Test
  void aNameAlreadyTakenIsDrawnAgain() {
    List<String> asked = new ArrayList<>();
    // the first three names drawn are taken (claims that exist, or are being created)
    NodeClaimFactory factory =
        new NodeClaimFactory(
            name -> {
              asked.add(name);
              return asked.size() <= 3;
            });

    String name = factory.name(pool);

    assertThat(asked).hasSize(4).endsWith(name);
    assertThat(name).matches("general-[bcdfghjklmnpqrstvwxz2456789]{5}");
  }

  @Test
  void whenEveryNameSeemsTakenTheLastDrawIsUsedAndTheCreateDecides() {
    Set<String> asked = new HashSet<>();
    NodeClaimFactory factory = new NodeClaimFactory(asked::add);

    assertThat(factory.name(pool)).startsWith("general-");
    assertThat(asked).hasSizeLessThanOrEqualTo(NodeClaimFactory.DRAWS);
  }
}
