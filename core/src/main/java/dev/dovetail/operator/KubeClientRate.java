package dev.dovetail.operator;

import dev.dovetail.controllers.provisioning.Provisioner;

/**
 * Karpenter's {@code --kube-client-qps} and {@code --kube-client-burst}: the pace of the
 * controller's writes to the API server. Upstream's client-go limiter paces every request of its
 * client; Dovetail's HTTP client has no such limiter, so the pace applies where the bulk writes
 * are, the NodeClaims a provisioning pass creates (its other writes are one per object as the
 * object changes, and its events have buckets of their own).
 *
 * @param qps creates per second once the burst is spent
 * @param burst creates that may go at once after a quiet spell
 */
public record KubeClientRate(int qps, int burst) {

  /** Upstream's defaults: 200 per second, burst 300 (the provisioner's own defaults). */
  public static final KubeClientRate DEFAULTS =
      new KubeClientRate(
          Provisioner.Options.DEFAULT_CREATES_PER_SECOND, Provisioner.Options.DEFAULT_CREATE_BURST);

  public KubeClientRate {
    if (qps < 1) {
      throw new IllegalArgumentException("kube client qps must be at least 1, got " + qps);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("kube client burst must be at least 1, got " + burst);
    }
  }

  /**
   * Both settings as given on the command line or in the environment; {@code null} or blank takes
   * the default. A value that is not a positive whole number is refused naming the setting.
   */
  public static KubeClientRate parse(String qps, String burst) {
    return new KubeClientRate(
        value("--kube-client-qps (KUBE_CLIENT_QPS)", qps, DEFAULTS.qps),
        value("--kube-client-burst (KUBE_CLIENT_BURST)", burst, DEFAULTS.burst));
  }

  private static int value(String setting, String given, int fallback) {
    if (given == null || given.isBlank()) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(given.trim());
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // refused below, with the setting's name
    }
    throw new IllegalArgumentException(
        setting + " must be a whole number of at least 1, got '" + given + "'");
  }

  @Override
  public String toString() {
    return "kubeClientQPS=" + qps + " kubeClientBurst=" + burst;
  }
}
