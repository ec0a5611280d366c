package dev.dovetail.apiserver;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A response: a status code and a JSON body (bytes, often reused from the store). */
record ApiResponse(int code, byte[] body, Map<String, String> headers) {
  static ApiResponse json(int code, byte[] body) {
    return new ApiResponse(code, body, Map.of());
  }

  static ApiResponse json(int code, Object tree) {
    try {
      return json(code, Json.MAPPER.writeValueAsBytes(tree));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ApiResponse status(int code, String reason, String message) {
    var s = Json.object();
    s.put("kind", "Status");
    s.put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", code < 300 ? "Success" : "Failure");
    s.put("message", message);
    s.put("reason", reason);
    s.put("code", code);
    Map<String, String> headers = code == 429 ? Map.of("Retry-After", "1") : Map.of();
    try {
      return new ApiResponse(code, Json.MAPPER.writeValueAsBytes(s), headers);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  String text() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
