package dev.dovetail.gcp.launch;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.compute.v1.Errors;
import com.google.cloud.compute.v1.Operation;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Classifies GCE launch failures: no capacity in the zone (stockouts), quota, or anything else.
 * Capacity and quota failures make the offering unavailable for a while; others fail the launch.
 */
public final class GceErrors {
  /** What kind of failure. */
  public enum Kind {
    CAPACITY,
    QUOTA,
    OTHER
  }

  private static final List<String> CAPACITY_MARKERS =
      List.of(
          "zone_resource_pool_exhausted",
          "zone_resource_pool_exhausted_with_details",
          "resourcepoolexhausted",
          "stockout",
          "does not have enough resources available");
  private static final List<String> QUOTA_MARKERS =
      List.of("quota_exceeded", "quotaexceeded", "quota '");

  private GceErrors() {}

  public static Kind of(Operation op) {
    return kindOf(describe(op));
  }

  public static Kind of(ApiException e) {
    return kindOf(describe(e));
  }

  /**
   * Everything the REST error says: gax's message is only the HTTP status phrase, the reason (e.g.
   * {@code Quota 'CPUS' exceeded}) is in the response body carried by the cause.
   */
  public static String describe(ApiException e) {
    StringBuilder sb = new StringBuilder(String.valueOf(e.getReason()));
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(' ').append(t.getMessage());
    }
    return sb.toString();
  }

  static Kind kindOf(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    if (CAPACITY_MARKERS.stream().anyMatch(t::contains)) {
      return Kind.CAPACITY;
    }
    if (QUOTA_MARKERS.stream().anyMatch(t::contains)) {
      return Kind.QUOTA;
    }
    return Kind.OTHER;
  }

  /** The operation's error codes and messages, for logs and events. */
  public static String describe(Operation op) {
    if (!op.hasError()) {
      return op.getHttpErrorMessage();
    }
    return op.getError().getErrorsList().stream()
        .map((Errors e) -> e.getCode() + ": " + e.getMessage())
        .collect(Collectors.joining("; "));
  }
}
