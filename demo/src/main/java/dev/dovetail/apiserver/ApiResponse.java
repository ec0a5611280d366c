package dev.dovetail.apiserver;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A response: a status code and a JSON body (bytes, often reused from the store), either whole or
 * as {@code parts} (a list: the stored objects' own bytes between the list's punctuation, written
 * to the socket's buffer without being assembled into one array first).
 */
record ApiResponse(int code, byte[] body, Map<String, String> headers, List<byte[]> parts) {
  ApiResponse(int code, byte[] body, Map<String, String> headers) {
    this(code, body, headers, null);
  }

  static ApiResponse json(int code, byte[] body) {
    return new ApiResponse(code, body, Map.of());
  }

  static ApiResponse parts(int code, List<byte[]> parts) {
    return new ApiResponse(code, null, Map.of(), parts);
  }

  /** The whole body (assembled from its parts when it has them). */
  @Override
  public byte[] body() {
    if (body != null) {
      return body;
    }
    byte[] out = new byte[length()];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  int length() {
    if (body != null) {
      return body.length;
    }
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    return n;
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
    return new String(body(), StandardCharsets.UTF_8);
  }
}
