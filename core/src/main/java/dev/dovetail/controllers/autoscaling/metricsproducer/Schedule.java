package dev.dovetail.controllers.autoscaling.metricsproducer;

import dev.dovetail.apis.autoscaling.v1alpha1.Pattern;
import dev.dovetail.apis.autoscaling.v1alpha1.ScheduleSpec;
import dev.dovetail.apis.autoscaling.v1alpha1.ScheduledBehavior;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Karpenter v0.1's scheduled capacity, pure: a behavior is in force when the next time matching its
 * {@code end} comes no later than the next time matching its {@code start} (so we are between a
 * start and its end); the first such behavior gives the replicas, else {@code defaultReplicas}.
 * Patterns are cron fields: minutes and hours default to 0, days, months and weekdays to any; when
 * both days and weekdays are given either may match (cron's rule).
 */
public final class Schedule {
  private static final Map<String, Integer> WEEKDAYS =
      Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6);
  private static final Map<String, Integer> MONTHS =
      Map.ofEntries(
          Map.entry("jan", 1),
          Map.entry("feb", 2),
          Map.entry("mar", 3),
          Map.entry("apr", 4),
          Map.entry("may", 5),
          Map.entry("jun", 6),
          Map.entry("jul", 7),
          Map.entry("aug", 8),
          Map.entry("sep", 9),
          Map.entry("oct", 10),
          Map.entry("nov", 11),
          Map.entry("dec", 12));

  private Schedule() {}

  /** The replicas the schedule recommends at {@code now}. */
  public static int replicas(ScheduleSpec spec, Instant now) {
    ZoneId zone = ZoneId.of(spec.timezone == null ? "UTC" : spec.timezone);
    ZonedDateTime t = now.atZone(zone);
    for (ScheduledBehavior b : spec.behaviors) {
      Optional<ZonedDateTime> start = next(b.start, t);
      Optional<ZonedDateTime> end = next(b.end, t);
      if (start.isPresent() && end.isPresent() && !end.get().isAfter(start.get())) {
        return b.replicas;
      }
    }
    return spec.defaultReplicas;
  }

  /** The first minute strictly after {@code t} matching the pattern, within eight years. */
  static Optional<ZonedDateTime> next(Pattern p, ZonedDateTime t) {
    TreeSet<Integer> minutes = field(p.minutes, 0, null);
    TreeSet<Integer> hours = field(p.hours, 0, null);
    TreeSet<Integer> days = field(p.days, -1, null);
    TreeSet<Integer> months = field(p.months, -1, MONTHS);
    TreeSet<Integer> weekdays = field(p.weekdays, -1, WEEKDAYS);
    if (weekdays.remove(7)) {
      weekdays.add(0);
    }
    LocalDate day = t.toLocalDate();
    for (int i = 0; i < 366 * 8; i++, day = day.plusDays(1)) {
      if (!matchesDay(day, days, months, weekdays)) {
        continue;
      }
      for (int h : hours) {
        for (int m : minutes) {
          if (h > 23 || m > 59) {
            continue;
          }
          ZonedDateTime candidate = day.atTime(h, m).atZone(t.getZone());
          if (candidate.isAfter(t)) {
            return Optional.of(candidate);
          }
        }
      }
    }
    return Optional.empty();
  }

  private static boolean matchesDay(
      LocalDate day, TreeSet<Integer> days, TreeSet<Integer> months, TreeSet<Integer> weekdays) {
    if (!months.isEmpty() && !months.contains(day.getMonthValue())) {
      return false;
    }
    boolean domAny = days.isEmpty();
    boolean dowAny = weekdays.isEmpty();
    boolean dom = domAny || days.contains(day.getDayOfMonth());
    boolean dow = dowAny || weekdays.contains(day.getDayOfWeek().getValue() % 7);
    return (domAny || dowAny) ? dom && dow : dom || dow;
  }

  /** A field's values; empty means any. {@code dflt} >= 0 is the value of an absent field. */
  private static TreeSet<Integer> field(String text, int dflt, Map<String, Integer> names) {
    TreeSet<Integer> values = new TreeSet<>();
    if (text == null) {
      if (dflt >= 0) {
        values.add(dflt);
      }
      return values;
    }
    for (String raw : text.split(",")) {
      String e = raw.trim().toLowerCase(Locale.ROOT);
      if (e.isEmpty()) {
        continue;
      }
      if (e.chars().allMatch(Character::isDigit)) {
        values.add(Integer.parseInt(e));
      } else if (names != null && e.length() >= 3 && names.containsKey(e.substring(0, 3))) {
        values.add(names.get(e.substring(0, 3)));
      } else {
        throw new IllegalArgumentException("cannot read schedule field value \"" + raw + "\"");
      }
    }
    return values;
  }
}
