package dev.dovetail.cloudprovider;

import java.util.Map;

/** What a provider may need to know about a NodePool when listing its instance types. */
public record NodePoolInfo(
    String name, Requirements requirements, Map<String, String> labels, NodeClassRef nodeClassRef) {

  public NodePoolInfo {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    requirements = requirements == null ? Requirements.none() : requirements;
  }
}
