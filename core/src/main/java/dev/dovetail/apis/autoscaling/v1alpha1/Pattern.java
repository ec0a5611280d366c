package dev.dovetail.apis.autoscaling.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A point in the week, cron-like: each field a comma-separated list; minutes and hours default to
 * 0, the others to any. Weekdays and months take numbers or (abbreviated) English names, any case.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Pattern {
  static final String NUMBERS = "'^[0-9]+$'";

  @ValidationRule(
      value = "self.split(',').all(e, e.trim().matches(" + NUMBERS + "))",
      message = "minutes must be a comma-separated list of numbers")
  public String minutes;

  @ValidationRule(
      value = "self.split(',').all(e, e.trim().matches(" + NUMBERS + "))",
      message = "hours must be a comma-separated list of numbers")
  public String hours;

  @ValidationRule(
      value = "self.split(',').all(e, e.trim().matches(" + NUMBERS + "))",
      message = "days must be a comma-separated list of numbers")
  public String days;

  @ValidationRule(
      value =
          "self.split(',').all(e, e.trim().lowerAscii().matches('^((jan(uary)?|1)|(feb(ruary)?|2)"
              + "|(mar(ch)?|3)|(apr(il)?|4)|(may|5)|(june?|6)|(july?|7)|(aug(ust)?|8)"
              + "|(sep(tember)?|9)|(oct(ober)?|10)|(nov(ember)?|11)|(dec(ember)?|12))$'))",
      message = "months must be a comma-separated list of month numbers or names")
  public String months;

  @ValidationRule(
      value =
          "self.split(',').all(e, e.trim().lowerAscii().matches('^((sun(day)?|0|7)|(mon(day)?|1)"
              + "|(tue(sday)?|2)|(wed(nesday)?|3)|(thu(rsday)?|4)|(fri(day)?|5)"
              + "|(sat(urday)?|6))$'))",
      message = "weekdays must be a comma-separated list of weekday numbers or names")
  public String weekdays;
}
