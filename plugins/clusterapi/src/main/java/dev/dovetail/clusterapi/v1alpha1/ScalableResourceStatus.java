package dev.dovetail.clusterapi.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One matched scalable resource in a ClusterAPINodeClass's status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScalableResourceStatus {
  public String kind;
  public String namespace;
  public String name;
  public String instanceType;
  public Integer replicas;
}
