package dev.dovetail.clusterapi;

import dev.dovetail.cloudprovider.testkit.ModelOnlyProviderContractTest;
import dev.dovetail.clusterapi.v1alpha1.ClusterAPINodeClass;

/** The plugin says plainly that it is not functional, and only ships its NodeClass model. */
class ClusterApiCloudProviderTest extends ModelOnlyProviderContractTest {
  ClusterApiCloudProviderTest() {
    super(
        new ClusterApiCloudProvider(),
        "clusterapi",
        "karpenter.cluster.x-k8s.io/v1alpha1",
        "ClusterAPINodeClass",
        ClusterAPINodeClass.class);
  }
}
