package dev.dovetail.state;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** Pods for cluster-state tests: bound, or pending and marked Unschedulable by the scheduler. */
public final class TestPods {
  private TestPods() {}

  /**
   * A pod in namespace {@code default} requesting {@code cpu}, bound to {@code nodeName} (null:
   * pending), with {@code PodScheduled} False/Unschedulable when {@code unschedulable}.
   */
  public static Pod pod(String name, String cpu, String nodeName, boolean unschedulable) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withNodeName(nodeName)
        .addNewContainer()
        .withName("app")
        .withImage("app")
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity(cpu)))
        .endResources()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .addNewCondition()
        .withType("PodScheduled")
        .withStatus(unschedulable ? "False" : "True")
        .withReason(unschedulable ? "Unschedulable" : null)
        .endCondition()
        .endStatus()
        .build();
  }
}
