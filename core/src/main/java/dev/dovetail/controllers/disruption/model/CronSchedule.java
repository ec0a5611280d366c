package dev.dovetail.controllers.disruption.model;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;

/**
 * A standard five-field cron schedule (minute hour day-of-month month day-of-week) or one of the
 * macros upstream accepts ({@code @yearly}, {@code @annually}, {@code @monthly}, {@code @weekly},
 * {@code @daily}, {@code @midnight}, {@code @hourly}), evaluated in UTC as Karpenter's budgets are.
 */
public final class CronSchedule {
  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");
  private static final String[] MONTHS = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
  };
  private static final String[] DAYS = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean domRestricted;
  private final boolean dowRestricted;
  private final String text;

  private CronSchedule(String text) {
    this.text = text;
    String expr = MACROS.getOrDefault(text.trim().toLowerCase(Locale.ROOT), text.trim());
    String[] f = expr.split("\\s+");
    if (f.length != 5) {
      throw new IllegalArgumentException("cron schedule needs 5 fields: '" + text + "'");
    }
    minutes = field(f[0], 0, 59, null);
    hours = field(f[1], 0, 23, null);
    daysOfMonth = field(f[2], 1, 31, null);
    months = field(f[3], 1, 12, MONTHS);
    BitSet dow = field(f[4], 0, 7, DAYS);
    if (dow.get(7)) {
      dow.set(0); // 7 is Sunday too
    }
    daysOfWeek = dow;
    domRestricted = !isStar(f[2]);
    dowRestricted = !isStar(f[4]);
  }

  public static CronSchedule parse(String text) {
    return new CronSchedule(text);
  }

  private static boolean isStar(String f) {
    return f.equals("*") || f.equals("?");
  }

  private static BitSet field(String spec, int min, int max, String[] names) {
    BitSet bits = new BitSet(max + 1);
    for (String part : spec.split(",")) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = Integer.parseInt(part.substring(slash + 1));
        range = part.substring(0, slash);
        if (step <= 0) {
          throw new IllegalArgumentException("bad step in '" + spec + "'");
        }
      }
      int lo;
      int hi;
      if (range.equals("*") || range.equals("?")) {
        lo = min;
        hi = max;
      } else if (range.contains("-")) {
        String[] lr = range.split("-", 2);
        lo = value(lr[0], names, min);
        hi = value(lr[1], names, min);
      } else {
        lo = value(range, names, min);
        hi = slash >= 0 ? max : lo;
      }
      if (lo < min || hi > max || lo > hi) {
        throw new IllegalArgumentException("value out of range in '" + spec + "'");
      }
      for (int v = lo; v <= hi; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int value(String s, String[] names, int min) {
    if (names != null) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equalsIgnoreCase(s)) {
          return i + (names == MONTHS ? 1 : 0);
        }
      }
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a cron value: '" + s + "'");
    }
  }

  /** Whether the schedule fires at this minute. */
  public boolean matches(ZonedDateTime t) {
    if (!minutes.get(t.getMinute()) || !hours.get(t.getHour()) || !months.get(t.getMonthValue())) {
      return false;
    }
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    DayOfWeek d = t.getDayOfWeek();
    boolean dow = daysOfWeek.get(d.getValue() % 7);
    // Cron's rule: when both day fields are restricted, either may match.
    if (domRestricted && dowRestricted) {
      return dom || dow;
    }
    return dom && dow;
  }

  /**
   * Whether a window of {@code duration} opened by this schedule contains {@code now}: the schedule
   * fired at some minute in {@code (now - duration, now]}.
   */
  public boolean activeAt(Instant now, Duration duration) {
    ZonedDateTime t = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
    ZonedDateTime earliest = now.minus(duration).atZone(ZoneOffset.UTC);
    while (t.isAfter(earliest)) {
      if (matches(t)) {
        return true;
      }
      t = t.minusMinutes(1);
    }
    return false;
  }

  @Override
  public String toString() {
    return text;
  }
}
