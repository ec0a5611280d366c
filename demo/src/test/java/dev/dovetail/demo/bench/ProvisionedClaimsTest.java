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

  @Test
  void timesThePassesThatCreatedNodeClaimsAndPassesThemOn() {
    List<String> seen = new ArrayList<>();
    ProvisionedClaims claims =
        new ProvisionedClaims(
            new ProvisioningListener() {
              @Override
              public void passed(int pods, int nodeClaimsCreated, long nanos) {
                seen.add(pods + "/" + nodeClaimsCreated);
              }
            });
    assertThat(claims.passTimes()).isEqualTo(new PassTimes(0, 0, 0));

    claims.passed(10, 2, 3_000_000_000L);
    claims.passed(4, 0, 9_000_000_000L); // created nothing (all onto existing room): not a pass
    claims.passed(7, 1, 1_000_000_000L);
    claims.passed(1, 1, 2_000_000_000L);

    assertThat(claims.passTimes()).isEqualTo(new PassTimes(3, 2.0, 3.0));
    assertThat(seen).containsExactly("10/2", "4/0", "7/1", "1/1");
    assertThat(PassTimes.of(List.of(1_000_000_000L, 4_000_000_000L)).medianSeconds())
        .isEqualTo(2.5);
  }
}
