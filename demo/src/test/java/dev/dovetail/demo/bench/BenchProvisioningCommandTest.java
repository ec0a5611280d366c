package dev.dovetail.demo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.demo.Workload;
import dev.dovetail.operator.KubeClientRate;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Options of {@code dovetail bench provisioning} and how its CPU accounting reads thread names. */
class BenchProvisioningCommandTest {
  private static ProvisioningBenchmark.Options parse(String... args) {
    BenchProvisioningCommand cmd = new BenchProvisioningCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd.options();
  }

  @Test
  void defaultsAreTwoThousandPodsAndAMinuteOfIdle() {
    ProvisioningBenchmark.Options o = parse();
    assertThat(o.pods()).isEqualTo(2000);
    assertThat(o.idle()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.catalog()).isEqualTo("aws");
    assertThat(o.clusterProcess()).isTrue();
    assertThat(o.clusterHeap()).isEqualTo("3g");
    assertThat(o.clientRate()).isEqualTo(KubeClientRate.DEFAULTS);
  }

  @Test
  void theCreatesMayBePacedAsDovetailRunsAre() {
    assertThat(parse("--kube-client-qps", "1000", "--kube-client-burst", "1000").clientRate())
        .isEqualTo(new KubeClientRate(1000, 1000));
    assertThatThrownBy(() -> parse("--kube-client-qps", "0"))
        .hasMessageContaining("--kube-client-qps");
    assertThatThrownBy(() -> parse("--kube-client-burst", "many"))
        .hasMessageContaining("--kube-client-burst");
  }

  @Test
  void theClusterCanRunInThisJvm() {
    assertThat(parse("--no-cluster-process").clusterProcess()).isFalse();
    assertThat(parse("--cluster-process", "--cluster-heap", "2048m").clusterHeap())
        .isEqualTo("2048m");
    assertThatThrownBy(() -> parse("--cluster-heap", "lots"))
        .hasMessageContaining("--cluster-heap");
  }

  @Test
  void theClusterProcessMayRunNiced() {
    assertThat(parse().clusterNice()).isZero();
    assertThat(parse("--cluster-nice", "10").clusterNice()).isEqualTo(10);
    assertThatThrownBy(() -> parse("--cluster-nice", "20")).hasMessageContaining("--cluster-nice");
    assertThatThrownBy(() -> parse("--cluster-nice", "-1")).hasMessageContaining("--cluster-nice");
    assertThatThrownBy(() -> parse("--cluster-nice", "5", "--no-cluster-process"))
        .hasMessageContaining("--cluster-nice");

    assertThat(ClusterChild.command(10, 42, Workload.Arrival.BY_KIND, 2, "1g", "warn", 10))
        .startsWith("nice", "-n", "10")
        .contains("-Xmx1g", ClusterProcess.class.getName());
    assertThat(ClusterChild.command(10, 42, Workload.Arrival.BY_KIND, 2, "1g", "warn", 0).get(0))
        .endsWith("java");
  }

  @Test
  void thePodsMayArriveMixed() {
    assertThat(parse().arrival()).isEqualTo(Workload.Arrival.BY_KIND);
    assertThat(parse("--arrival", "mixed").arrival()).isEqualTo(Workload.Arrival.MIXED);
    assertThatThrownBy(() -> parse("--arrival", "shuffled"))
        .hasMessageContaining("--arrival")
        .hasMessageContaining("shuffled");
    assertThat(ClusterChild.command(10, 42, Workload.Arrival.MIXED, 2, "1g", "warn", 0))
        .endsWith("warn", "mixed");
  }

  @Test
  void optionsAreTakenAsGiven() {
    ProvisioningBenchmark.Options o =
        parse("--pods", "20000", "--idle-seconds", "5", "--timeout", "90s", "--catalog", "gcp");
    assertThat(o.pods()).isEqualTo(20000);
    assertThat(o.idle()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(o.catalog()).isEqualTo("gcp");
  }

  @Test
  void badValuesNameTheOption() {
    assertThatThrownBy(() -> parse("--pods", "0")).hasMessageContaining("--pods");
    assertThatThrownBy(() -> parse("--idle-seconds", "-1")).hasMessageContaining("--idle-seconds");
    assertThatThrownBy(() -> parse("--timeout", "soon")).hasMessageContaining("--timeout");
    assertThatThrownBy(() -> parse("--catalog", "oci")).hasMessageContaining("--catalog");
  }

  @Test
  void threadsAreAttributedByName() {
    Set<String> standInHttp = Set.of("HttpClient-3", "JdkHttpClientFactory-77");
    assertThat(ThreadCpu.byName("vert.x-eventloop-thread-0", standInHttp))
        .isEqualTo(ThreadCpu.Role.API_SERVER);
    assertThat(ThreadCpu.byName("kube-api-worker-2", standInHttp))
        .isEqualTo(ThreadCpu.Role.API_SERVER);
    assertThat(ThreadCpu.byName("binder-marker", standInHttp)).isEqualTo(ThreadCpu.Role.STAND_IN);
    assertThat(ThreadCpu.byName("rescheduler", standInHttp)).isEqualTo(ThreadCpu.Role.STAND_IN);
    assertThat(ThreadCpu.byName("HttpClient-3-Worker-7", standInHttp))
        .isEqualTo(ThreadCpu.Role.STAND_IN);
    assertThat(ThreadCpu.byName("HttpClient-4-Worker-0", standInHttp))
        .isEqualTo(ThreadCpu.Role.CONTROLLERS);
    assertThat(ThreadCpu.byName("JdkHttpClientFactory-77-pool-1-thread-2", standInHttp))
        .isEqualTo(ThreadCpu.Role.STAND_IN);
    assertThat(ThreadCpu.byName("JdkHttpClientFactory-78-pool-1-thread-2", standInHttp))
        .isEqualTo(ThreadCpu.Role.CONTROLLERS);
    assertThat(ThreadCpu.byName("provisioner", standInHttp)).isEqualTo(ThreadCpu.Role.CONTROLLERS);
    assertThat(ThreadCpu.byName("C2 CompilerThread0", standInHttp)).isEqualTo(ThreadCpu.Role.JVM);
  }
}
