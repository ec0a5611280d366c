package dev.dovetail.clusterapi.v1alpha1;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code karpenter.cluster.x-k8s.io/v1alpha1 ClusterAPINodeClass}: which Cluster API scalable
 * resources (MachineDeployments, MachineSets, MachinePools) a NodePool may grow and shrink. Same
 * group, kind and fields as kubernetes-sigs/karpenter-provider-cluster-api.
 */
@Group(ClusterAPINodeClass.GROUP)
@Version(ClusterAPINodeClass.VERSION)
@Singular("clusterapinodeclass")
@Plural("clusterapinodeclasses")
@ShortNames({"capinc", "capincs"})
@Categories("karpenter")
public class ClusterAPINodeClass
    extends CustomResource<ClusterAPINodeClassSpec, ClusterAPINodeClassStatus> {
  public static final String GROUP = "karpenter.cluster.x-k8s.io";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "ClusterAPINodeClass";

  @Override
  protected ClusterAPINodeClassSpec initSpec() {
    return new ClusterAPINodeClassSpec();
  }

  @Override
  protected ClusterAPINodeClassStatus initStatus() {
    return new ClusterAPINodeClassStatus();
  }
}
