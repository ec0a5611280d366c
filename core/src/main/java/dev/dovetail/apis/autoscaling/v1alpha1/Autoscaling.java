package dev.dovetail.apis.autoscaling.v1alpha1;

/**
 * Names of Karpenter's first API, {@code autoscaling.karpenter.sh/v1alpha1} (Karpenter v0.1):
 * metrics-driven autoscaling of anything with a {@code scale} subresource.
 */
public final class Autoscaling {
  public static final String GROUP = "autoscaling.karpenter.sh";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** Condition types of the three kinds (v0.1's names). */
  public static final String ACTIVE = "Active";

  public static final String ABLE_TO_SCALE = "AbleToScale";
  public static final String SCALING_UNBOUNDED = "ScalingUnbounded";
  public static final String STABILIZED = "Stabilized";

  private Autoscaling() {}
}
