package dev.dovetail.gcp.v1alpha1;

import dev.dovetail.cloudprovider.crd.NodeClassResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * {@code karpenter.k8s.gcp/v1alpha1 GCENodeClass}: GCE settings of the nodes a NodePool launches,
 * following the field names of the community GCP provider (cloudpilot-ai/karpenter-provider-gcp).
 */
@Group(GCENodeClass.GROUP)
@Version(GCENodeClass.VERSION)
@Singular("gcenodeclass")
@Plural("gcenodeclasses")
@ShortNames({"gcenc", "gcencs"})
@Categories("karpenter")
public class GCENodeClass extends NodeClassResource<GCENodeClassSpec, GCENodeClassStatus> {
  public static final String GROUP = "karpenter.k8s.gcp";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "GCENodeClass";

  @Override
  protected GCENodeClassSpec initSpec() {
    return new GCENodeClassSpec();
  }

  @Override
  protected GCENodeClassStatus initStatus() {
    return new GCENodeClassStatus();
  }
}
