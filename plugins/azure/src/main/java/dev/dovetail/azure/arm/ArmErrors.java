package dev.dovetail.azure.arm;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import java.util.Locale;
import java.util.Set;

/** Classifies ARM errors by their {@code error.code} and HTTP status. */
public final class ArmErrors {
  /**
   * Codes meaning "no capacity for this size / zone / priority now": the offering is marked
   * unavailable and the core re-plans on another one (upstream's SKU and zonal allocation errors).
   */
  private static final Set<String> CAPACITY =
      Set.of(
          "skunotavailable",
          "allocationfailed",
          "zonalallocationfailed",
          "overconstrainedallocationrequest",
          "overconstrainedzonalallocationrequest",
          "sparecapacitynotavailable",
          "operationnotallowed", // quota: "exceeding approved ... quota"
          "quotaexceeded",
          "lowpriorityquotaexceeded",
          "skunotavailableforsubscription");

  private ArmErrors() {}

  /** The ARM error code, or empty. */
  public static String code(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ManagementException me && me.getValue() != null) {
        ManagementError err = me.getValue();
        return err.getCode() == null ? "" : err.getCode();
      }
    }
    return "";
  }

  /** The HTTP status of the failed call, or -1. */
  public static int status(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpResponseException he && he.getResponse() != null) {
        return he.getResponse().getStatusCode();
      }
    }
    return -1;
  }

  public static boolean isNotFound(Throwable e) {
    String code = code(e).toLowerCase(Locale.ROOT);
    return status(e) == 404 || code.equals("resourcenotfound") || code.equals("notfound");
  }

  /** Whether the failure means there is no capacity (or quota) for the requested offering. */
  public static boolean isCapacity(Throwable e) {
    String code = code(e).toLowerCase(Locale.ROOT);
    if (code.equals("operationnotallowed")) {
      String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      return msg.contains("quota");
    }
    return CAPACITY.contains(code);
  }

  /** A short description for messages: code and message, never headers or tokens. */
  public static String describe(Throwable e) {
    String code = code(e);
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ManagementException me && me.getValue() != null) {
        return code + ": " + me.getValue().getMessage();
      }
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
