package dev.dovetail.controllers.disruption;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cloudprovider.InstanceType;
import dev.dovetail.cloudprovider.NodePoolInfo;
import dev.dovetail.controllers.ControllerContext;
import dev.dovetail.controllers.disruption.model.Command;
import dev.dovetail.controllers.disruption.model.Method;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.Interceptor.RequestTags;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A failure to read an input of a disruption decision skips that decision for the pass and says so
 * (WARN, event, counted); it is never read as "no constraint" or "not drifted".
 */
class DisruptionFailSafeMockTest {
  private static final Duration VALIDATION = Duration.ofSeconds(15);
  private final List<String> skipped = new CopyOnWriteArrayList<>();

  private DisruptionController controller(FakeCluster c, KubernetesClient client) {
    return new DisruptionController(
        new ControllerContext(client, c.state, c.cloud, c.events, c.clock),
        DisruptionController.Options.DEFAULT.withValidationDelay(VALIDATION),
        new DisruptionController.DecisionListener() {
          @Override
          public void decided(Command command) {}

          @Override
          public void skipped(String reason) {
            skipped.add(reason);
          }
        });
  }

  @Test
  void aPdbListFailureSkipsThePassInsteadOfReadingNoPdbs() {
    try (FakeCluster c = new FakeCluster()) {
      c.pool("100%", "on-demand");
      String empty = c.node("m5.xlarge", "on-demand");
      AtomicBoolean failPdbs = new AtomicBoolean(true);
      try (KubernetesClient flaky =
          new KubernetesClientBuilder()
              .withConfig(c.client.getConfiguration())
              .withHttpClientBuilderConsumer(
                  b ->
                      b.addOrReplaceInterceptor(
                          "fail-pdbs",
                          new Interceptor() {
                            @Override
                            public void before(
                                BasicBuilder builder, HttpRequest request, RequestTags tags) {
                              if (failPdbs.get()
                                  && request.uri().getPath().contains("poddisruptionbudgets")) {
                                builder.uri(URI.create("http://127.0.0.1:1/unreachable"));
                              }
                            }
                          }))
              .build()) {
        DisruptionController d = controller(c, flaky);
        c.sync();
        c.markConditions();
        assertThat(d.reconcileOnce()).isEmpty();
        assertThat(d.pending()).isEmpty(); // no emptiness decision without the PDBs
        assertThat(c.eventReasons()).anyMatch(e -> e.startsWith("PDBListFailed"));
        assertThat(skipped).contains("PDBListFailed");

        failPdbs.set(false);
        c.sync();
        d.reconcileOnce();
        assertThat(d.pending()).map(Command::method).contains(Method.EMPTINESS);
        assertThat(c.claimExists(empty)).isTrue();
      }
    }
  }

  @Test
  void anInstanceTypeFailureSkipsThePoolInsteadOfReadingNoInstanceTypes() {
    AtomicBoolean fail = new AtomicBoolean(false);
    try (FakeCluster c =
        new FakeCluster(
            new SimulatedCloud() {
              @Override
              public List<InstanceType> instanceTypes(NodePoolInfo pool, Object nodeClass) {
                if (fail.get()) {
                  throw new IllegalStateException("DescribeInstanceTypes throttled");
                }
                return super.instanceTypes(pool, nodeClass);
              }
            })) {
      c.pool("100%", "on-demand");
      String empty = c.node("m5.xlarge", "on-demand");
      fail.set(true);
      DisruptionController d = controller(c, c.client);
      c.sync();
      c.markConditions();
      assertThat(d.reconcileOnce()).isEmpty();
      assertThat(d.pending()).isEmpty();
      assertThat(c.eventReasons())
          .anyMatch(e -> e.startsWith("InstanceTypesFailed") && e.contains("throttled"));
      assertThat(skipped).contains("InstanceTypesFailed");
      assertThat(c.claimExists(empty)).isTrue();
    }
  }
}
