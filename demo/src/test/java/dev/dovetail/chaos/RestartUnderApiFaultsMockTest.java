package dev.dovetail.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apiserver.KubeApiServer;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A restarted operator whose first LIST answers 409 (chaos seeds 33 and 49) starts once the API
 * answers again, instead of failing its start (a lasting error failing it at once is {@code
 * InformerRetryTest}'s).
 */
class RestartUnderApiFaultsMockTest {
  private final KubeApiServer api = KubeApiServer.builder().start();
  private final KubernetesClient client = api.client();

  @AfterEach
  void close() {
    client.close();
    api.close();
  }

  @Test
  @Timeout(120)
  void aConflictAnsweredToTheFirstListIsRetried() throws Exception {
    api.faults().seed(1).error("list", "pods", 1.0, 409);
    ClusterState state = new ClusterState(client, Clock.systemUTC());
    CompletableFuture<ClusterState> started = CompletableFuture.supplyAsync(state::start);
    // The informer keeps retrying while the faults last; the start is still waiting.
    while (api.faults().injected() < 2) {
      Thread.sleep(50);
    }
    assertThat(started).isNotDone();
    api.faults().clear();
    assertThat(started.get(100, TimeUnit.SECONDS).synced()).isTrue();
    state.close();
  }
}
