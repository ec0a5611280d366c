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
 * @param kubeClientRate Karpenter's {@code --kube-client-qps} and {@code --kube-client-burst}
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
    SchedulingPolicies policies,
    KubeClientRate kubeClientRate) {

  public Settings {
    featureGates = featureGates == null ? FeatureGates.DEFAULTS : featureGates;
    policies = policies == null ? SchedulingPolicies.DEFAULTS : policies;
    kubeClientRate = kubeClientRate == null ? KubeClientRate.DEFAULTS : kubeClientRate;
  }

  /** Upstream's defaults (feature gates and scheduling policies included). */
  public static Settings defaults() {
    return new Settings(
        "dovetail",
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        Duration.ofMinutes(15),
        Duration.ofMinutes(5),
        Duration.ofMinutes(5),
        Duration.ofMinutes(3),
        10_000,
        FeatureGates.DEFAULTS,
        SchedulingPolicies.DEFAULTS,
        KubeClientRate.DEFAULTS);
  }

  public Settings withClusterName(String name) {
    return edit(s -> s.clusterName = name);
  }

  public Settings withBatch(Duration idle, Duration max) {
    return edit(
        s -> {
          s.batchIdleDuration = idle;
          s.batchMaxDuration = max;
        });
  }

  public Settings withMaxPodsPerBatch(int max) {
    return edit(s -> s.maxPodsPerBatch = max);
  }

  /** How long a NodeClaim may take to register, and to launch, before it is deleted. */
  public Settings withLifecycle(Duration registration, Duration launch) {
    return edit(
        s -> {
          s.registrationTtl = registration;
          s.launchTimeout = launch;
        });
  }

  /** How long an offering the cloud refused (or interrupted) stays out of scheduling. */
  public Settings withUnavailableOfferingsTtl(Duration ttl) {
    return edit(s -> s.unavailableOfferingsTtl = ttl);
  }

  public Settings withFeatureGates(FeatureGates gates) {
    return edit(s -> s.featureGates = gates);
  }

  public Settings withPolicies(SchedulingPolicies newPolicies) {
    return edit(s -> s.policies = newPolicies);
  }

  public Settings withKubeClientRate(KubeClientRate rate) {
    return edit(s -> s.kubeClientRate = rate);
  }

  /** A copy with some settings changed: the one place every setting is listed twice. */
  private Settings edit(java.util.function.Consumer<Draft> change) {
    Draft d = new Draft(this);
    change.accept(d);
    return new Settings(
        d.clusterName,
        d.batchIdleDuration,
        d.batchMaxDuration,
        d.registrationTtl,
        d.launchTimeout,
        d.nominationTtl,
        d.unavailableOfferingsTtl,
        d.maxPodsPerBatch,
        d.featureGates,
        d.policies,
        d.kubeClientRate);
  }

  /** The settings being edited (local to {@link #edit}). */
  private static final class Draft {
    String clusterName;
    Duration batchIdleDuration;
    Duration batchMaxDuration;
    Duration registrationTtl;
    Duration launchTimeout;
    Duration nominationTtl;
    Duration unavailableOfferingsTtl;
    int maxPodsPerBatch;
    FeatureGates featureGates;
    SchedulingPolicies policies;
    KubeClientRate kubeClientRate;

    Draft(Settings s) {
      clusterName = s.clusterName;
      batchIdleDuration = s.batchIdleDuration;
      batchMaxDuration = s.batchMaxDuration;
      registrationTtl = s.registrationTtl;
      launchTimeout = s.launchTimeout;
      nominationTtl = s.nominationTtl;
      unavailableOfferingsTtl = s.unavailableOfferingsTtl;
      maxPodsPerBatch = s.maxPodsPerBatch;
      featureGates = s.featureGates;
      policies = s.policies;
      kubeClientRate = s.kubeClientRate;
    }
  }
}
