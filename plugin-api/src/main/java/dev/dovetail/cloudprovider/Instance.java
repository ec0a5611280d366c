package dev.dovetail.cloudprovider;

import java.time.Instant;
import java.util.Map;

/**
 * A machine as the cloud reports it.
 *
 * @param providerId the Kubernetes providerID, e.g. {@code aws:///us-east-1a/i-0123}
 * @param nodeClaim the NodeClaim it was launched for (from its ownership tag), or null
 * @param nodePool the NodePool it was launched for (from its ownership tag), or null
 * @param instanceType the instance type name
 * @param zone the zone
 * @param capacityType {@code on-demand}, {@code spot} or {@code reserved}
 * @param imageId the image it runs
 * @param labels labels the node will carry (well-known and provider-specific)
 * @param capacity the node's capacity
 * @param allocatable capacity minus overhead
 * @param launchTime when it was launched
 * @param state the cloud's state name (e.g. {@code pending}, {@code running}, {@code terminated})
 */
public record Instance(
    String providerId,
    String nodeClaim,
    String nodePool,
    String instanceType,
    String zone,
    String capacityType,
    String imageId,
    Map<String, String> labels,
    Resources capacity,
    Resources allocatable,
    Instant launchTime,
    String state) {

  public Instance {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    capacity = capacity == null ? Resources.EMPTY : capacity;
    allocatable = allocatable == null ? capacity : allocatable;
  }

  /** This instance in another of the cloud's states (e.g. {@code pending} to {@code running}). */
  public Instance withState(String newState) {
    return new Instance(
        providerId,
        nodeClaim,
        nodePool,
        instanceType,
        zone,
        capacityType,
        imageId,
        labels,
        capacity,
        allocatable,
        launchTime,
        newState);
  }
}
