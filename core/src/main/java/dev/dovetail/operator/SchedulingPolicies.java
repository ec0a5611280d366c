package dev.dovetail.operator;

import dev.dovetail.scheduling.SchedulingOptions;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Karpenter's scheduling policies ({@code --preference-policy}, {@code --min-values-policy}), with
 * upstream's names, values and defaults.
 *
 * @param preference how preferred affinities and ScheduleAnyway spreads count
 * @param minValues what happens when a NodePool's minValues cannot be met
 */
public record SchedulingPolicies(PreferencePolicy preference, MinValuesPolicy minValues) {

  /** Upstream's defaults: Respect, Strict. */
  public static final SchedulingPolicies DEFAULTS =
      new SchedulingPolicies(PreferencePolicy.Respect, MinValuesPolicy.Strict);

  /** {@code PREFERENCE_POLICY}: Respect (default) or Ignore. */
  public enum PreferencePolicy {
    Respect,
    Ignore
  }

  /**
   * {@code MIN_VALUES_POLICY}: Strict (default: a NodeClaim whose instance types cannot meet a
   * minValues is not launched) or BestEffort (it is launched with the minValues lowered to what the
   * types reach, and annotated {@code karpenter.sh/nodeclaim-min-values-relaxed=true}).
   */
  public enum MinValuesPolicy {
    Strict,
    BestEffort
  }

  /**
   * Parses both settings as given on the command line or in the environment; {@code null} or blank
   * takes the default. An unknown value is refused with a message naming the setting.
   */
  public static SchedulingPolicies parse(String preference, String minValues) {
    return new SchedulingPolicies(
        value(
            PreferencePolicy.class,
            "--preference-policy (PREFERENCE_POLICY)",
            preference,
            PreferencePolicy.Respect),
        value(
            MinValuesPolicy.class,
            "--min-values-policy (MIN_VALUES_POLICY)",
            minValues,
            MinValuesPolicy.Strict));
  }

  /** The engine's options under these policies. */
  public SchedulingOptions apply(SchedulingOptions options) {
    return options
        .withIgnorePreferences(preference == PreferencePolicy.Ignore)
        .withRelaxMinValues(minValues == MinValuesPolicy.BestEffort);
  }

  private static <E extends Enum<E>> E value(
      Class<E> type, String setting, String raw, E fallback) {
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(raw.trim())) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        setting
            + " must be one of "
            + Arrays.stream(type.getEnumConstants())
                .map(Enum::name)
                .collect(Collectors.joining(", "))
            + ", got '"
            + raw
            + "'");
  }

  @Override
  public String toString() {
    return "preferencePolicy=" + preference + " minValuesPolicy=" + minValues;
  }
}
