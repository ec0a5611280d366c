package dev.dovetail.cloudprovider.testkit;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/**
 * Pods of one ReplicaSet ({@value #NAME}), for tests in which disruption may move pods: a pod a
 * controller owns is one consolidation can evict and a stand-in ReplicaSet controller recreates,
 * where a bare pod would block its node's consolidation.
 */
public final class ReplicaSetPods {
  /** The ReplicaSet's name and its pods' {@code app} label. */
  public static final String NAME = "web";

  private ReplicaSetPods() {}

  /** The controller reference each of the ReplicaSet's pods carries. */
  public static OwnerReference owner() {
    return new OwnerReferenceBuilder()
        .withApiVersion("apps/v1")
        .withKind("ReplicaSet")
        .withName(NAME)
        .withUid("rs-" + NAME)
        .withController(true)
        .build();
  }

  /**
   * A pending pod of the ReplicaSet in namespace {@code default} requesting {@code cpu}, {@code
   * memory}.
   */
  public static Pod pod(String name, String cpu, String memory) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .addToLabels("app", NAME)
        .withOwnerReferences(owner())
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("pause")
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }
}
