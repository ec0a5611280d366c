package dev.dovetail.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.controllers.provisioning.Provisioner.ProvisioningListener;
import dev.dovetail.scheduling.NewNodeClaim;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProvisionedClaimsTest {
  @Test
  void countsTheProvisionersCreatesAndPassesEveryCallOn() {
    List<String> seen = new ArrayList<>();
    ProvisioningListener metrics =
        new ProvisioningListener() {
          @Override
          public void nodeClaimCreated(NodeClaim claim, NewNodeClaim plan) {
            seen.add("created");
          }

          @Override
          public void nodePoolSkipped(String nodePool, String reason) {
            seen.add("skipped " + nodePool);
          }
        };
    ProvisionedClaims claims = new ProvisionedClaims(metrics);
    long t0 = System.nanoTime();
    assertThat(claims.count()).isZero();
    assertThat(claims.lastSecondsSince(t0)).isZero();

    claims.nodeClaimCreated(new NodeClaim(), null);
    claims.nodeClaimCreated(new NodeClaim(), null);
    claims.nodePoolSkipped("gpu", "NodeClass not ready");

    assertThat(claims.count()).isEqualTo(2);
    double last = claims.lastSecondsSince(t0);
    assertThat(last).isPositive().isLessThan((System.nanoTime() - t0) / 1e9 + 1e-9);
    assertThat(seen).containsExactly("created", "created", "skipped gpu");
  }
}
