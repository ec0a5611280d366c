package dev.dovetail.controllers.capacitybuffer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.apis.autoscaling.v1alpha1.CapacityBuffer;
import dev.dovetail.apis.v1.NodeClaim;
import dev.dovetail.controllers.Harness;
import dev.dovetail.kube.Conditions;
import dev.dovetail.plugins.simulated.SimulatedCloud;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Upstream-shaped CapacityBuffers: the provisioner keeps room for their pods. */
class CapacityBufferMockTest {
  private final Harness h = new Harness();
  private CapacityBufferController buffers;

  @AfterEach
  void stop() {
    h.close();
  }

  private void start() {
    h.start(new SimulatedCloud());
    h.client
        .resource(
            Harness.nodePool(
                "default",
                List.of(
                    Harness.req("karpenter.sh/capacity-type", "In", "on-demand"),
                    Harness.req("kubernetes.io/arch", "In", "amd64"))))
        .create();
    buffers =
        new CapacityBufferController(
            h.client,
            h.clock,
            new CapacityBufferController.Options(true, Duration.ofSeconds(10)),
            h.dovetail.provisioner()::trigger);
    h.dovetail.provisioner().useCapacityBuffers(buffers::virtualPods);
  }

  private static final String POD_TEMPLATE =
      """
      apiVersion: v1
      kind: PodTemplate
      metadata:
        name: headroom
        namespace: default
      template:
        metadata:
          labels: {app: headroom}
        spec:
          containers:
          - name: pause
            image: registry.k8s.io/pause:3.9
            resources:
              requests: {cpu: "1", memory: 1Gi}
      """;

  private CapacityBuffer buffer(String name) {
    return h.client.resources(CapacityBuffer.class).inNamespace("default").withName(name).get();
  }

  private void await(java.util.function.BooleanSupplier cond, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** The cpu the NodeClaims were sized for (their pods' requests). */
  private java.math.BigDecimal requestedCpu() {
    java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
    for (NodeClaim c : h.nodeClaims()) {
      var q = c.getSpec().getResources().getRequests().get("cpu");
      sum = q == null ? sum : sum.add(q.getNumericalAmount());
    }
    return sum;
  }

  @Test
  void aPodTemplateBufferGetsCapacityWithoutAnyRealPod() {
    start();
    h.client.resource(Serialization.unmarshal(POD_TEMPLATE, PodTemplate.class)).create();
    h.client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: autoscaling.x-k8s.io/v1alpha1
                kind: CapacityBuffer
                metadata:
                  name: headroom
                  namespace: default
                spec:
                  podTemplateRef: {name: headroom}
                  replicas: 3
                """,
                CapacityBuffer.class))
        .create();
    assertThat(buffers.reconcileOnce()).hasSize(3);
    await(() -> requestedCpu().compareTo(new java.math.BigDecimal(3)) >= 0, "room for 3 cpu");
    CapacityBuffer b = buffer("headroom");
    assertThat(b.getStatus().replicas).isEqualTo(3);
    assertThat(Conditions.isTrue(b.getStatus().conditions, CapacityBuffer.READY_FOR_PROVISIONING))
        .isTrue();
    assertThat(h.client.pods().inAnyNamespace().list().getItems()).isEmpty(); // virtual only

    // The room is kept, not launched again on every pass.
    int claims = h.nodeClaims().size();
    buffers.reconcileOnce();
    h.dovetail.provisioner().provision();
    assertThat(h.nodeClaims()).hasSize(claims);
  }

  @Test
  void percentageOfADeploymentCappedByLimits() {
    start();
    h.client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: default}
                spec:
                  replicas: 10
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - name: web
                        image: nginx
                        resources: {requests: {cpu: 500m, memory: 256Mi}}
                """,
                Deployment.class))
        .create();
    h.client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: autoscaling.x-k8s.io/v1alpha1
                kind: CapacityBuffer
                metadata: {name: web-buffer, namespace: default}
                spec:
                  scalableRef: {apiGroup: apps, kind: Deployment, name: web}
                  percentage: 50
                  limits: {cpu: "2"}
                """,
                CapacityBuffer.class))
        .create();
    // 50% of 10 = 5 pods, but 2 cpu / 500m = 4
    assertThat(buffers.reconcileOnce()).hasSize(4);
    assertThat(buffer("web-buffer").getStatus().replicas).isEqualTo(4);
  }

  @Test
  void aMissingTemplateIsReportedAndKeepsNothing() {
    start();
    h.client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: autoscaling.x-k8s.io/v1alpha1
                kind: CapacityBuffer
                metadata: {name: ghost, namespace: default}
                spec:
                  podTemplateRef: {name: nope}
                  replicas: 2
                """,
                CapacityBuffer.class))
        .create();
    assertThat(buffers.reconcileOnce()).isEmpty();
    var cond =
        Conditions.get(
                buffer("ghost").getStatus().conditions, CapacityBuffer.READY_FOR_PROVISIONING)
            .orElseThrow();
    assertThat(cond.getStatus()).isEqualTo("False");
    assertThat(cond.getReason()).isEqualTo("PodTemplateNotFound");
  }
}
