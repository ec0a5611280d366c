package dev.dovetail.apiserver;

/** A request the API refuses, answered as a {@code Status} with this code and reason. */
final class ApiException extends RuntimeException {
  private final int code;
  private final String reason;

  ApiException(int code, String reason, String message) {
    super(message);
    this.code = code;
    this.reason = reason;
  }

  int code() {
    return code;
  }

  String reason() {
    return reason;
  }

  static ApiException notFound(ResourceType type, String name) {
    return new ApiException(
        404, "NotFound", type.plural() + type.groupSuffix() + " \"" + name + "\" not found");
  }

  static ApiException conflict(ResourceType type, String name, String why) {
    return new ApiException(
        409,
        "Conflict",
        "Operation cannot be fulfilled on "
            + type.plural()
            + type.groupSuffix()
            + " \""
            + name
            + "\": "
            + why);
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "BadRequest", message);
  }

  static ApiException invalid(String message) {
    return new ApiException(422, "Invalid", message);
  }
}
