package dev.dovetail.cloudprovider;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * Parses and formats Kubernetes quantities ({@code 500m}, {@code 1.5}, {@code 2Gi}, {@code 1e3},
 * {@code 4k}) into the canonical whole units of {@link Resources}.
 */
public final class Quantities {
  private Quantities() {}

  private static final long KI = 1024L;

  /**
   * Compiled once: {@link String#matches} compiled it on every parse, and the controllers parse a
   * node's capacity on every pass (a fifth of a 20,000-pod run's status and metrics work).
   */
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  /** The quantity as an exact decimal number of base units (cores for cpu, bytes for memory). */
  public static BigDecimal parse(String quantity) {
    if (quantity == null) {
      throw new IllegalArgumentException("quantity is null");
    }
    String s = quantity.trim();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("quantity is empty");
    }
    int end = s.length();
    BigDecimal multiplier = BigDecimal.ONE;
    String[][] binary = {
      {"Ki", "1"}, {"Mi", "2"}, {"Gi", "3"}, {"Ti", "4"}, {"Pi", "5"}, {"Ei", "6"}
    };
    boolean matched = false;
    for (String[] b : binary) {
      if (s.endsWith(b[0])) {
        multiplier = BigDecimal.valueOf(KI).pow(Integer.parseInt(b[1]));
        end -= 2;
        matched = true;
        break;
      }
    }
    if (!matched) {
      char last = s.charAt(s.length() - 1);
      int exp =
          switch (last) {
            case 'n' -> -9;
            case 'u' -> -6;
            case 'm' -> -3;
            case 'k' -> 3;
            case 'M' -> 6;
            case 'G' -> 9;
            case 'T' -> 12;
            case 'P' -> 15;
            case 'E' -> 18;
            default -> 0;
          };
      if (exp != 0) {
        multiplier = BigDecimal.ONE.scaleByPowerOfTen(exp);
        end -= 1;
      }
    }
    String number = s.substring(0, end);
    if (number.isEmpty() || !NUMBER.matcher(number).matches()) {
      throw new IllegalArgumentException("'" + quantity + "' is not a Kubernetes quantity");
    }
    return new BigDecimal(number).multiply(multiplier);
  }

  /** Canonical whole units for a resource: millicores for cpu, base units otherwise (ceil). */
  public static long toCanonical(String resource, String quantity) {
    BigDecimal v = parse(quantity);
    if (Resources.CPU.equals(resource)) {
      v = v.scaleByPowerOfTen(3);
    }
    return v.setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /**
   * Formats canonical units back to a quantity string ({@code 1500m}, {@code 4Gi}, {@code 110}).
   */
  public static String format(String resource, long amount) {
    if (Resources.CPU.equals(resource)) {
      return amount % 1000 == 0 ? Long.toString(amount / 1000) : amount + "m";
    }
    if (amount != 0) {
      String[] suffixes = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
      for (int i = suffixes.length; i >= 1; i--) {
        long unit = 1L << (10 * i);
        if (amount % unit == 0) {
          return (amount / unit) + suffixes[i - 1];
        }
      }
    }
    return Long.toString(amount);
  }
}
