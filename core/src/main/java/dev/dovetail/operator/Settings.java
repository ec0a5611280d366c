package dev.dovetail.operator;

import java.time.Duration;

/**
 * Controller settings (Karpenter's operator options where they mean the same).
 *
 * @param clusterName the cluster's name, used to tag cloud resources
 * @param batchIdleDuration provisioning waits this long without new pending pods before solving
 * @param batchMaxDuration and at most this long after the first pending pod
 * @param registrationTtl a launched NodeClaim whose node has not registered by then is deleted
 * @param launchTimeout a NodeClaim that cannot launch for this long is deleted
 * @param nominationTtl how long a pod counts as placed on capacity it was nominated to
 * @param unavailableOfferingsTtl how long an offering the cloud refused stays unavailable
 * @param maxPodsPerBatch bound of one solve (back-pressure for huge backlogs)
 * @param featureGates Karpenter's feature gates ({@code --feature-gates})
 * @param policies Karpenter's {@code --preference-policy} and {@code --min-values-policy}
 */
public record Settings(
    String clusterName,
    Duration batchIdleDuration,
    Duration batchMaxDuration,
    Duration registrationTtl,
    Duration launchTimeout,
    Duration nominationTtl,
    Duration unavailableOfferingsTtl,
    int maxPodsPerBatch,
    FeatureGates featureGates,
    SchedulingPolicies policies) {

  public Settings {
    policies = policies == null ? SchedulingPolicies.DEFAULTS : policies;
  }

  /** Settings with upstream's default scheduling policies. */
  public Settings(
      String clusterName,
      Duration batchIdleDuration,
      Duration batchMaxDuration,
      Duration registrationTtl,
      Duration launchTimeout,
      Duration nominationTtl,
      Duration unavailableOfferingsTtl,
      int maxPodsPerBatch,
      FeatureGates featureGates) {
    this(
        clusterName,
        batchIdleDuration,
        batchMaxDuration,
        registrationTtl,
        launchTimeout,
        nominationTtl,
        unavailableOfferingsTtl,
        maxPodsPerBatch,
        featureGates,
        SchedulingPolicies.DEFAULTS);
  }

  /** Settings with upstream's default feature gates. */
  public Settings(
      String clusterName,
      Duration batchIdleDuration,
      Duration batchMaxDuration,
      Duration registrationTtl,
      Duration launchTimeout,
      Duration nominationTtl,
      Duration unavailableOfferingsTtl,
      int maxPodsPerBatch) {
    this(
        clusterName,
        batchIdleDuration,
        batchMaxDuration,
        registrationTtl,
        launchTimeout,
        nominationTtl,
        unavailableOfferingsTtl,
        maxPodsPerBatch,
        FeatureGates.DEFAULTS);
  }

  public Settings withFeatureGates(FeatureGates gates) {
    return new Settings(
        clusterName,
        batchIdleDuration,
        batchMaxDuration,
        registrationTtl,
        launchTimeout,
        nominationTtl,
        unavailableOfferingsTtl,
        maxPodsPerBatch,
        gates,
        policies);
  }

  public static Settings defaults() {
    return new Settings(
        "dovetail",
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        Duration.ofMinutes(15),
        Duration.ofMinutes(5),
        Duration.ofMinutes(5),
        Duration.ofMinutes(3),
        10_000);
  }

  public Settings withClusterName(String name) {
    return new Settings(
        name,
        batchIdleDuration,
        batchMaxDuration,
        registrationTtl,
        launchTimeout,
        nominationTtl,
        unavailableOfferingsTtl,
        maxPodsPerBatch,
        featureGates,
        policies);
  }

  public Settings withBatch(Duration idle, Duration max) {
    return new Settings(
        clusterName,
        idle,
        max,
        registrationTtl,
        launchTimeout,
        nominationTtl,
        unavailableOfferingsTtl,
        maxPodsPerBatch,
        featureGates,
        policies);
  }

  public Settings withPolicies(SchedulingPolicies newPolicies) {
    return new Settings(
        clusterName,
        batchIdleDuration,
        batchMaxDuration,
        registrationTtl,
        launchTimeout,
        nominationTtl,
        unavailableOfferingsTtl,
        maxPodsPerBatch,
        featureGates,
        newPolicies);
  }
}
