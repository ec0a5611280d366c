package dev.dovetail.controllers.autoscaling.horizontalautoscaler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The one call of Prometheus' HTTP API the autoscaler needs: an instant query ({@code GET
 * /api/v1/query}) that must return exactly one sample (a one-element vector or a scalar). Anything
 * else, including an unreachable server or an empty vector, is a {@link Result.Failure} with the
 * reason, so the caller can hold the current scale and say why; it is never read as zero.
 */
public final class PrometheusClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;
  private final Duration timeout;

  public PrometheusClient(URI base, Duration timeout) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** A query's outcome. */
  public sealed interface Result {
    /** The single sample's value. */
    record Value(double value) implements Result {}

    /** Why there is no value. */
    record Failure(String reason, String message) implements Result {}
  }

  public Result query(String promql) {
    URI uri =
        base.resolve("api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    HttpResponse<String> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new Result.Failure(
          "PrometheusUnavailable", "querying " + base + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result.Failure("PrometheusUnavailable", "interrupted querying " + base);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      return new Result.Failure(
          "PrometheusUnavailable",
          "Prometheus answered HTTP " + response.statusCode() + " without JSON for " + promql);
    }
    if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      return new Result.Failure(
          "QueryFailed",
          "query "
              + promql
              + " failed (HTTP "
              + response.statusCode()
              + "): "
              + body.path("errorType").asText("")
              + " "
              + body.path("error").asText(""));
    }
    JsonNode data = body.path("data");
    String type = data.path("resultType").asText();
    JsonNode sample;
    switch (type) {
      case "vector" -> {
        JsonNode result = data.path("result");
        if (result.size() == 0) {
          return new Result.Failure("EmptyResult", "query " + promql + " returned no samples");
        }
        if (result.size() > 1) {
          return new Result.Failure(
              "AmbiguousResult",
              "query " + promql + " returned " + result.size() + " samples; want exactly one");
        }
        sample = result.get(0).path("value");
      }
      case "scalar" -> sample = data.path("result");
      default -> {
        return new Result.Failure(
            "AmbiguousResult",
            "query " + promql + " returned a " + type + "; want an instant vector");
      }
    }
    try {
      double v = Double.parseDouble(sample.get(1).asText());
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        return new Result.Failure("EmptyResult", "query " + promql + " returned " + v);
      }
      return new Result.Value(v);
    } catch (RuntimeException e) {
      return new Result.Failure("QueryFailed", "query " + promql + " returned " + sample);
    }
  }
}
