package dev.dovetail.cloudprovider;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The set of values a label key may take, in a form closed under intersection.
 *
 * <p>Every operator maps onto one shape: a finite value set, or the complement of one ({@code
 * complement=true}), optionally bounded by integer limits. {@code In} is a set, {@code NotIn} and
 * {@code Exists} are complements, {@code DoesNotExist} is the empty set, and {@code Gt/Lt/Gte/Lte}
 * are bounded complements. Intersecting two requirements on one key therefore never needs a case
 * per operator pair, which is what lets a pod's, a NodePool's and an instance type's requirements
 * be combined and checked cheaply.
 */
public final class Requirement {
  private final String key;
  private final boolean complement;
  private final Set<String> values; // insertion-ordered
  private final Long greaterThan; // exclusive lower bound, null = none
  private final Long lessThan; // exclusive upper bound, null = none
  private final Integer minValues;

  private Requirement(
      String key,
      boolean complement,
      Set<String> values,
      Long greaterThan,
      Long lessThan,
      Integer minValues) {
    this.key = Objects.requireNonNull(key, "key");
    this.complement = complement;
    this.greaterThan = greaterThan;
    this.lessThan = lessThan;
    this.minValues = minValues;
    if (!complement && (greaterThan != null || lessThan != null)) {
      // A finite set with bounds is just the values inside the bounds.
      Set<String> kept = new LinkedHashSet<>();
      for (String v : values) {
        if (withinBounds(v, greaterThan, lessThan)) {
          kept.add(v);
        }
      }
      values = kept;
    }
    this.values = values;
  }

  /** Builds a requirement from a manifest's {@code key, operator, values, minValues}. */
  public static Requirement of(
      String key, Operator operator, Collection<String> values, Integer minValues) {
    List<String> vs = values == null ? List.of() : List.copyOf(values);
    return switch (operator) {
      case In -> new Requirement(key, false, new LinkedHashSet<>(vs), null, null, minValues);
      case NotIn -> new Requirement(key, true, new LinkedHashSet<>(vs), null, null, minValues);
      case Exists -> new Requirement(key, true, new LinkedHashSet<>(), null, null, minValues);
      case DoesNotExist ->
          new Requirement(key, false, new LinkedHashSet<>(), null, null, minValues);
      case Gt ->
          new Requirement(key, true, new LinkedHashSet<>(), single(vs, key), null, minValues);
      case Gte ->
          new Requirement(key, true, new LinkedHashSet<>(), single(vs, key) - 1, null, minValues);
      case Lt ->
          new Requirement(key, true, new LinkedHashSet<>(), null, single(vs, key), minValues);
      case Lte ->
          new Requirement(key, true, new LinkedHashSet<>(), null, single(vs, key) + 1, minValues);
    };
  }

  public static Requirement of(String key, Operator operator, String... values) {
    return of(key, operator, List.of(values), null);
  }

  public static Requirement in(String key, Collection<String> values) {
    return of(key, Operator.In, values, null);
  }

  public static Requirement in(String key, String... values) {
    return of(key, Operator.In, List.of(values), null);
  }

  public static Requirement exists(String key) {
    return of(key, Operator.Exists, List.of(), null);
  }

  public static Requirement doesNotExist(String key) {
    return of(key, Operator.DoesNotExist, List.of(), null);
  }

  private static long single(List<String> values, String key) {
    if (values.size() != 1) {
      throw new IllegalArgumentException(
          "requirement on " + key + ": Gt/Lt/Gte/Lte take exactly one integer value");
    }
    try {
      return Long.parseLong(values.get(0));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "requirement on " + key + ": '" + values.get(0) + "' is not an integer", e);
    }
  }

  private static boolean withinBounds(String value, Long gt, Long lt) {
    if (gt == null && lt == null) {
      return true;
    }
    long n;
    try {
      n = Long.parseLong(value);
    } catch (NumberFormatException e) {
      return false;
    }
    return (gt == null || n > gt) && (lt == null || n < lt);
  }

  public String key() {
    return key;
  }

  /** True when the allowed values are everything except {@link #values()}. */
  public boolean complement() {
    return complement;
  }

  /** The finite values (allowed, or excluded when {@link #complement()}). */
  public List<String> values() {
    return List.copyOf(values);
  }

  public Long greaterThan() {
    return greaterThan;
  }

  public Long lessThan() {
    return lessThan;
  }

  public Integer minValues() {
    return minValues;
  }

  /** Whether the label may take this value. */
  public boolean has(String value) {
    if (!withinBounds(value, greaterThan, lessThan)) {
      return false;
    }
    return complement != values.contains(value);
  }

  /** Whether no value at all is allowed. The label must then be absent. */
  public boolean isEmpty() {
    if (complement) {
      return greaterThan != null && lessThan != null && greaterThan >= lessThan - 1;
    }
    return values.isEmpty();
  }

  /** The number of allowed values; {@link Integer#MAX_VALUE}-ish for complements. */
  public int size() {
    if (!complement) {
      return values.size();
    }
    if (greaterThan != null && lessThan != null) {
      long span = Math.max(0, lessThan - greaterThan - 1);
      return (int) Math.min(Integer.MAX_VALUE, span);
    }
    return Integer.MAX_VALUE - values.size();
  }

  /** The operator this requirement reads as when written back as a single expression. */
  public Operator operator() {
    if (!complement) {
      return values.isEmpty() ? Operator.DoesNotExist : Operator.In;
    }
    if (values.isEmpty()) {
      if (greaterThan != null && lessThan == null) {
        return Operator.Gt;
      }
      if (lessThan != null && greaterThan == null) {
        return Operator.Lt;
      }
      return Operator.Exists;
    }
    return Operator.NotIn;
  }

  /** The values allowed by both; minValues is the larger of the two. */
  public Requirement intersect(Requirement other) {
    if (!key.equals(other.key)) {
      throw new IllegalArgumentException("cannot intersect " + key + " with " + other.key);
    }
    Long gt = max(greaterThan, other.greaterThan);
    Long lt = min(lessThan, other.lessThan);
    Integer mv = maxInt(minValues, other.minValues);
    if (complement && other.complement) {
      Set<String> union = new LinkedHashSet<>(values);
      union.addAll(other.values);
      return new Requirement(key, true, union, gt, lt, mv);
    }
    Set<String> result = new LinkedHashSet<>();
    if (complement) {
      for (String v : other.values) {
        if (!values.contains(v)) {
          result.add(v);
        }
      }
    } else if (other.complement) {
      for (String v : values) {
        if (!other.values.contains(v)) {
          result.add(v);
        }
      }
    } else {
      for (String v : values) {
        if (other.values.contains(v)) {
          result.add(v);
        }
      }
    }
    return new Requirement(key, false, result, gt, lt, mv);
  }

  /** Whether at least one value satisfies both. */
  public boolean intersects(Requirement other) {
    return !intersect(other).isEmpty();
  }

  /** A value the label could take (for a finite set, its first value), or null. */
  public String any() {
    if (!complement) {
      return values.isEmpty() ? null : values.iterator().next();
    }
    long candidate = greaterThan != null ? greaterThan + 1 : 0;
    for (int i = 0; i < 1000; i++, candidate++) {
      String v = Long.toString(candidate);
      if (has(v)) {
        return v;
      }
    }
    return null;
  }

  /** The same requirement with another minValues. */
  public Requirement withMinValues(Integer newMinValues) {
    return new Requirement(key, complement, values, greaterThan, lessThan, newMinValues);
  }

  /** Written back as node selector expressions (a bounded NotIn needs more than one). */
  public List<Expression> toExpressions() {
    List<Expression> out = new ArrayList<>();
    Operator op = operator();
    switch (op) {
      case In, NotIn -> {
        out.add(new Expression(key, op, List.copyOf(values), minValues));
        if (op == Operator.NotIn) {
          addBounds(out);
        }
      }
      case DoesNotExist, Exists -> {
        if (op == Operator.Exists && (greaterThan != null || lessThan != null)) {
          addBounds(out);
        } else {
          out.add(new Expression(key, op, List.of(), minValues));
        }
      }
      case Gt, Lt, Gte, Lte -> addBounds(out);
    }
    return out;
  }

  private void addBounds(List<Expression> out) {
    if (greaterThan != null) {
      out.add(new Expression(key, Operator.Gt, List.of(Long.toString(greaterThan)), minValues));
    }
    if (lessThan != null) {
      out.add(new Expression(key, Operator.Lt, List.of(Long.toString(lessThan)), minValues));
    }
  }

  /** One node selector expression as it appears in a manifest. */
  public record Expression(String key, Operator operator, List<String> values, Integer minValues) {}

  private static Long max(Long a, Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
  }

  private static Long min(Long a, Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
  }

  private static Integer maxInt(Integer a, Integer b) {
    return a == null ? b : b == null ? a : Integer.valueOf(Math.max(a, b));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Requirement r
        && key.equals(r.key)
        && complement == r.complement
        && values.equals(r.values)
        && Objects.equals(greaterThan, r.greaterThan)
        && Objects.equals(lessThan, r.lessThan)
        && Objects.equals(minValues, r.minValues);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, complement, values, greaterThan, lessThan, minValues);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(key).append(' ').append(operator());
    if (!values.isEmpty()) {
      sb.append(' ').append(values);
    }
    if (greaterThan != null) {
      sb.append(" >").append(greaterThan);
    }
    if (lessThan != null) {
      sb.append(" <").append(lessThan);
    }
    if (minValues != null) {
      sb.append(" minValues=").append(minValues);
    }
    return sb.toString();
  }
}
