package dev.dovetail.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.controllers.provisioning.Provisioner;
import org.junit.jupiter.api.Test;

/** {@code --kube-client-qps} and {@code --kube-client-burst}: parsed, refused, handed on. */
class KubeClientRateTest {

  @Test
  void blankTakesUpstreamsDefaults() {
    assertThat(KubeClientRate.parse(null, " ")).isEqualTo(new KubeClientRate(200, 300));
    assertThat(Settings.defaults().kubeClientRate()).isEqualTo(KubeClientRate.DEFAULTS);
  }

  @Test
  void givenValuesAreTrimmedAndKept() {
    assertThat(KubeClientRate.parse(" 500", "800 ")).isEqualTo(new KubeClientRate(500, 800));
  }

  @Test
  void anythingButAPositiveWholeNumberIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> KubeClientRate.parse("fast", "300"))
        .hasMessageContaining("--kube-client-qps (KUBE_CLIENT_QPS)")
        .hasMessageContaining("'fast'");
    assertThatThrownBy(() -> KubeClientRate.parse("200", "0"))
        .hasMessageContaining("--kube-client-burst (KUBE_CLIENT_BURST)");
    assertThatThrownBy(() -> KubeClientRate.parse("2.5", "300"))
        .hasMessageContaining("KUBE_CLIENT_QPS");
    assertThatThrownBy(() -> KubeClientRate.parse("-1", "300"))
        .hasMessageContaining("KUBE_CLIENT_QPS");
  }

  @Test
  void theProvisionerIsGivenTheRate() {
    Provisioner.Options options =
        DovetailOperator.provisionerOptions(
            Settings.defaults().withKubeClientRate(new KubeClientRate(750, 900)));
    assertThat(options.createsPerSecond()).isEqualTo(750);
    assertThat(options.createBurst()).isEqualTo(900);
    Provisioner.Options byDefault = DovetailOperator.provisionerOptions(Settings.defaults());
    assertThat(byDefault.createsPerSecond()).isEqualTo(200);
    assertThat(byDefault.createBurst()).isEqualTo(300);
  }
}
