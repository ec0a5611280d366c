package dev.dovetail.clusterapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.clusterapi.capi.Capi;
import dev.dovetail.clusterapi.capi.Fields;
import dev.dovetail.clusterapi.capi.ReplicaScaler;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reusable scale logic against the mock API server (which enforces resourceVersions). */
class ReplicaScalerMockTest {
  private CapiMockCluster cluster;
  private ReplicaScaler scaler;

  @BeforeEach
  void start() {
    cluster = new CapiMockCluster();
    scaler = new ReplicaScaler(cluster.client());
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private int scale(int delta) {
    return scaler.scaleBy(
        cluster.api.context(Capi.MACHINE_DEPLOYMENT), CapiMockCluster.NS, "md", delta);
  }

  @Test
  void aStaleWriteIsRefusedByTheServer() {
    cluster.machineDeployment("md", 0, Map.of());
    GenericKubernetesResource stale = cluster.get(Capi.MACHINE_DEPLOYMENT, "md");
    scale(1);
    Fields.set(stale, "spec.replicas", 5);
    assertThatThrownBy(() -> cluster.api.update(Capi.MACHINE_DEPLOYMENT, stale))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void concurrentChangesAreAllApplied() throws Exception {
    cluster.machineDeployment("md", 0, Map.of());
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Integer>> fs = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        fs.add(pool.submit(() -> scale(1)));
      }
      for (Future<Integer> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(12);
  }

  @Test
  void theBoundsAnnotationsAreNeverCrossed() {
    cluster.machineDeployment(
        "md", 1, Map.of(Capi.MIN_SIZE_ANNOTATION, "1", Capi.MAX_SIZE_ANNOTATION, "2"));
    assertThat(scale(1)).isEqualTo(2);
    assertThatThrownBy(() -> scale(1))
        .isInstanceOf(ReplicaScaler.OutOfBoundsException.class)
        .hasMessageContaining("max 2");
    assertThat(scale(-1)).isEqualTo(1);
    assertThatThrownBy(() -> scale(-1))
        .isInstanceOf(ReplicaScaler.OutOfBoundsException.class)
        .hasMessageContaining("min 1");
    assertThat(cluster.replicas(Capi.MACHINE_DEPLOYMENT, "md")).isEqualTo(1);
  }

  @Test
  void unreadableBoundsMeanUnbounded() {
    assertThat(ReplicaScaler.Bounds.of(Map.of(Capi.MAX_SIZE_ANNOTATION, "many")))
        .isEqualTo(ReplicaScaler.Bounds.NONE);
    assertThat(ReplicaScaler.Bounds.of(Map.of(Capi.MIN_SIZE_ANNOTATION, "-3")).min()).isZero();
  }

  @Test
  void aMissingObjectIsNotFound() {
    assertThatThrownBy(() -> scale(1))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }
}
