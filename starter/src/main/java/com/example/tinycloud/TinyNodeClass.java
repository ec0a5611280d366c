package com.example.tinycloud;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * TinyCloud's NodeClass: what a NodePool's {@code spec.template.spec.nodeClassRef} points at
 * ({@code group: tinycloud.example.com, kind: TinyNodeClass}). The core reads it into this fabric8
 * model and hands it to {@link TinyCloud#instanceTypes} and, on each claim, to {@code create}.
 * Cluster-scoped like Karpenter's NodeClasses.
 */
@Group(TinyNodeClass.GROUP)
@Version(TinyNodeClass.VERSION)
@Kind(TinyNodeClass.KIND)
public class TinyNodeClass extends CustomResource<TinyNodeClass.Spec, Void> {
  public static final String GROUP = "tinycloud.example.com";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "TinyNodeClass";

  /** The NodeClass fields your cloud needs (image, subnet, ...). */
  public static class Spec {
    private String image;

    public String getImage() {
      return image;
    }

    public void setImage(String image) {
      this.image = image;
    }
  }
}
