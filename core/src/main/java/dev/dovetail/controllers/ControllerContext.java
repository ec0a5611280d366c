package dev.dovetail.controllers;

import dev.dovetail.kube.EventRecorder;
import dev.dovetail.provider.CloudProviderFacade;
import dev.dovetail.state.ClusterState;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/**
 * What the controllers that act on the cluster and the cloud (provisioning, disruption, NodeClaim
 * disruption conditions) are each built from: the API client they write with, the shared cluster
 * cache they read, the cloud provider, the event recorder and the clock. One operator builds one
 * and hands it to each, as Karpenter hands its controllers the same kube client, cluster state,
 * cloud provider, recorder and clock.
 */
public record ControllerContext(
    KubernetesClient client,
    ClusterState state,
    CloudProviderFacade cloud,
    EventRecorder events,
    Clock clock) {}
