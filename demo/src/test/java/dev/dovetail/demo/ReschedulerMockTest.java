package dev.dovetail.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apiserver.KubeApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stand-in ReplicaSet on the embedded API server, its rounds run by hand (no timing): it brings
 * back a wanted pod, and does not keep a scaled-down one alive.
 */
class ReschedulerMockTest {
  private KubeApiServer api;
  private KubernetesClient client;
  private Rescheduler rescheduler;
  private final List<Pod> workload = Workload.pods(10, 1);

  @BeforeEach
  void start() throws InterruptedException {
    api = KubeApiServer.start();
    client = api.client();
    DemoCluster.submit(client, workload, 2);
    rescheduler = new Rescheduler(client, workload); // not started: rounds by hand
  }

  @AfterEach
  void stop() {
    rescheduler.close();
    client.close();
    api.close();
  }

  private Set<String> names() {
    return rescheduler.livePods().stream()
        .map(p -> p.getMetadata().getName())
        .collect(Collectors.toSet());
  }

  @Test
  void anEvictedWantedPodIsRecreated() {
    rescheduler.round(); // sees the workload exist
    String evicted = workload.get(7).getMetadata().getName();
    client.pods().inNamespace(Workload.NAMESPACE).withName(evicted).delete();

    rescheduler.round();

    assertThat(names()).contains(evicted).hasSize(workload.size());
  }

  @Test
  void aPodNotCreatedYetIsLeftToItsCreator() throws InterruptedException {
    // The race of the provisioning benchmark: the stand-in starts while the burst of creates is
    // under way. A desired pod it never saw is not yet created, not deleted: creating it as well
    // made one of the two creates fail with AlreadyExists, thousands of times at 20,000 pods.
    List<Pod> later = Workload.pods(20, 2);
    Rescheduler early = new Rescheduler(client, later);
    try {
      early.round();
      assertThat(names()).hasSize(workload.size()); // none of the later workload's pods

      DemoCluster.submit(client, later, 2); // every create succeeds: nobody raced it
      early.round();
      String evicted = later.get(3).getMetadata().getName();
      client.pods().inNamespace(Workload.NAMESPACE).withName(evicted).delete();
      early.round();

      assertThat(names()).contains(evicted).hasSize(workload.size() + later.size());
    } finally {
      early.close();
    }
  }

  @Test
  void aScaledDownPodRecreatedMeanwhileIsDeletedAsSurplus() {
    // The race: a round listed pod 0 as absent (just evicted by consolidation) while it was still
    // wanted, and recreated it after the scale-down had deleted it. Here the recreation is done by
    // hand after the scale-down; the next round must treat it as surplus, as a ReplicaSet would,
    // or it pads every count of running pods while a wanted pod is missing.
    Pod scaledDown = workload.get(0);
    rescheduler.scaleDown(List.of(scaledDown.getMetadata().getName()));
    DemoCluster.create(client, scaledDown);
    assertThat(names()).contains(scaledDown.getMetadata().getName());

    rescheduler.round();

    assertThat(names())
        .doesNotContain(scaledDown.getMetadata().getName())
        .hasSize(workload.size() - 1);
  }

  @Test
  void aPodIsRecreatedFromItsReplicaSetsTemplateAsItWasCreated() throws InterruptedException {
    // One template per ReplicaSet, not one pod per pod: the recreated pod must still be the one
    // the workload created (name, labels, owner, requests, selectors), less what the server set.
    List<Pod> many = Workload.pods(200, 5);
    Rescheduler streamed = new Rescheduler(client, Workload.stream(200, 5));
    try {
      long replicaSets =
          many.stream()
              .map(p -> p.getMetadata().getOwnerReferences().get(0).getUid())
              .distinct()
              .count();
      assertThat(streamed.templates()).isEqualTo((int) replicaSets).isLessThan(many.size());

      DemoCluster.submit(client, many, 2);
      streamed.round();
      Pod trainer =
          many.stream()
              .filter(p -> p.getMetadata().getName().startsWith("trainer-"))
              .findFirst()
              .orElseThrow();
      Pod web = many.get(3);
      // As the server holds them (it answers an empty map for a field the workload left null).
      java.util.Map<String, Pod> created = new java.util.HashMap<>();
      for (Pod evicted : List.of(trainer, web)) {
        String name = evicted.getMetadata().getName();
        created.put(name, client.pods().inNamespace(Workload.NAMESPACE).withName(name).get());
        client.resource(evicted).delete();
      }
      streamed.round();

      for (Pod before : created.values()) {
        Pod back = client.resource(before).get();
        assertThat(back).isNotNull();
        assertThat(back.getMetadata().getUid()).isNotEqualTo(before.getMetadata().getUid());
        assertThat(back.getMetadata().getName()).isEqualTo(before.getMetadata().getName());
        assertThat(back.getMetadata().getLabels()).isEqualTo(before.getMetadata().getLabels());
        assertThat(back.getMetadata().getOwnerReferences())
            .isEqualTo(before.getMetadata().getOwnerReferences());
        // Containers (requests, limits), selectors, tolerations: the whole spec, unbound.
        assertThat(back.getSpec()).isEqualTo(before.getSpec());
        assertThat(back.getSpec().getNodeName()).isNull();
      }
      assertThat(created.values())
          .extracting(p -> p.getSpec().getContainers().get(0).getResources().getRequests())
          .contains(trainer.getSpec().getContainers().get(0).getResources().getRequests());
      assertThat(names()).hasSize(workload.size() + many.size());
    } finally {
      streamed.close();
    }
  }

  @Test
  void aPodUnlikeItsReplicaSetsOthersIsKeptWholeAndComesBackAsItWas() throws InterruptedException {
    // Templates are shared only by pods that differ in name alone: one with a label of its own
    // (hand-made; the workload has none) must not come back as its siblings' copy.
    List<Pod> pods = new java.util.ArrayList<>(Workload.pods(20, 3));
    Pod odd =
        new io.fabric8.kubernetes.api.model.PodBuilder(pods.get(1))
            .editMetadata()
            .addToLabels("odd", "yes")
            .endMetadata()
            .build();
    pods.set(1, odd);
    Rescheduler r = new Rescheduler(client, pods);
    try {
      DemoCluster.submit(client, pods, 2);
      r.round();
      client.pods().inNamespace(Workload.NAMESPACE).withName(odd.getMetadata().getName()).delete();
      r.round();

      Pod back =
          client.pods().inNamespace(Workload.NAMESPACE).withName(odd.getMetadata().getName()).get();
      assertThat(back.getMetadata().getLabels()).containsEntry("odd", "yes");
      assertThat(r.templates())
          .isGreaterThan(
              (int)
                  pods.stream()
                      .map(p -> p.getMetadata().getOwnerReferences().get(0).getUid())
                      .distinct()
                      .count());
    } finally {
      r.close();
    }
  }
}
