package dev.dovetail.cloudprovider;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a provider resolved for one NodeClass, for the core to write to the NodeClass's {@code
 * status} (Karpenter's NodeClass status controllers: EC2NodeClass subnets, security groups, AMIs,
 * instance profile; AKSNodeClass images and Kubernetes version; GCENodeClass images; the Cluster
 * API bridge's matched scalable resources).
 *
 * <p>The core owns the write: it merges {@link #fields} into {@code .status} (each top-level key
 * replaced as a whole), sets {@code .status.conditions} from {@link #conditions} (keeping each
 * condition's {@code lastTransitionTime} while its status does not change, and stamping {@code
 * observedGeneration}), and derives {@code Ready} when the provider reports none: True when every
 * other condition is True. A NodeClass that is not Ready makes the NodePools referencing it not
 * Ready and blocks their launches.
 *
 * @param fields status fields other than {@code conditions}, as plain JSON values (maps, lists,
 *     strings, numbers, booleans), in the NodeClass's own field names
 * @param conditions the conditions the provider observed, {@code Ready} among them or derived
 */
public record NodeClassStatus(Map<String, Object> fields, List<Condition> conditions) {

  /** The condition type every NodeClass carries. */
  public static final String READY = "Ready";

  public NodeClassStatus {
    fields =
        fields == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
  }

  /** A status with only a Ready condition. */
  public static NodeClassStatus ready(Map<String, Object> fields) {
    return new NodeClassStatus(fields, List.of(Condition.isTrue(READY, "Ready")));
  }

  /** A status whose Ready condition is False with this reason and message. */
  public static NodeClassStatus notReady(
      Map<String, Object> fields, String reason, String message) {
    return new NodeClassStatus(fields, List.of(Condition.isFalse(READY, reason, message)));
  }

  /**
   * Whether the NodeClass can be launched from: its Ready condition, or when none is reported,
   * every condition True.
   */
  public boolean isReady() {
    for (Condition c : conditions) {
      if (c.type().equals(READY)) {
        return c.status();
      }
    }
    return conditions.stream().allMatch(Condition::status);
  }

  /** The first False condition's message, or empty when Ready. */
  public String notReadyMessage() {
    return conditions.stream()
        .filter(c -> !c.status())
        .map(c -> c.type() + ": " + c.message())
        .findFirst()
        .orElse("");
  }

  /**
   * One status condition as Kubernetes prints it ({@code type}, {@code status} True/False, {@code
   * reason} in CamelCase, {@code message} for people).
   */
  public record Condition(String type, boolean status, String reason, String message) {
    public Condition {
      Objects.requireNonNull(type, "type");
      reason = reason == null || reason.isBlank() ? (status ? type : "Not" + type) : reason;
      message = message == null ? "" : message;
    }

    public static Condition isTrue(String type, String reason) {
      return new Condition(type, true, reason, "");
    }

    public static Condition isFalse(String type, String reason, String message) {
      return new Condition(type, false, reason, message);
    }
  }
}
