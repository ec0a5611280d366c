package dev.dovetail.controllers;

import dev.dovetail.kube.EventRecorder;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.state.ClusterState;
import dev.dovetail.translate.PodTranslations;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/**
 * What the controllers that act on the cluster and the cloud (provisioning, disruption, NodeClaim
 * disruption conditions) are each built from: the API client they write with, the shared cluster
 * cache they read, the cloud provider, the event recorder and the clock. One operator builds one
 * and hands it to each, as Karpenter hands its controllers the same kube client, cluster state,
 * cloud provider, recorder and clock. {@code podTranslations}: the pods' engine translations the
 * controllers share, so that each pod version is translated into one object however many
 * controllers read it.
 */
public record ControllerContext(
    KubernetesClient client,
    ClusterState state,
    CloudProviderFacade cloud,
    EventRecorder events,
    Clock clock,
    PodTranslations podTranslations) {

  /** With translations of its own, forgotten as the state's pods are deleted. */
  public ControllerContext(
      KubernetesClient client,
      ClusterState state,
      CloudProviderFacade cloud,
      EventRecorder events,
      Clock clock) {
    this(client, state, cloud, events, clock, forgottenOnDelete(state));
  }

  private static PodTranslations forgottenOnDelete(ClusterState state) {
    PodTranslations translations = new PodTranslations();
    if (state != null) {
      state.addPodDeletionListener(translations::forget);
    }
    return translations;
  }
}
