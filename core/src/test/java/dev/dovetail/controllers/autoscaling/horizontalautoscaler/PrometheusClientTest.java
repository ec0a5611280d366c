package dev.dovetail.controllers.autoscaling.horizontalautoscaler;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.dovetail.controllers.autoscaling.horizontalautoscaler.PrometheusClient.Result;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Prometheus HTTP API client against WireMock: what is a value and what is a failure. */
class PrometheusClientTest {
  WireMockServer prometheus;
  PrometheusClient client;

  @BeforeEach
  void start() {
    prometheus = new WireMockServer(wireMockConfig().dynamicPort());
    prometheus.start();
    client =
        new PrometheusClient(URI.create(prometheus.baseUrl() + "/prom"), Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() {
    prometheus.stop();
  }

  void answer(int status, String body) {
    prometheus.stubFor(
        get(urlPathEqualTo("/prom/api/v1/query"))
            .withQueryParam("query", equalTo("sum(x{a=\"b\"})"))
            .willReturn(aResponse().withStatus(status).withBody(body)));
  }

  @Test
  void oneSampleIsAValueUnderAPathPrefix() {
    answer(
        200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
            + "[{\"metric\":{},\"value\":[1,\"2.5\"]}]}}");
    assertThat(client.query("sum(x{a=\"b\"})")).isEqualTo(new Result.Value(2.5));
    answer(
        200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"7\"]}}");
    assertThat(client.query("sum(x{a=\"b\"})")).isEqualTo(new Result.Value(7));
  }

  @Test
  void everythingElseIsAFailureWithAReason() {
    answer(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
    assertThat(reason()).isEqualTo("EmptyResult");
    answer(
        200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
            + "[{\"metric\":{},\"value\":[1,\"1\"]},{\"metric\":{},\"value\":[1,\"2\"]}]}}");
    assertThat(reason()).isEqualTo("AmbiguousResult");
    answer(
        200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
            + "[{\"metric\":{},\"value\":[1,\"NaN\"]}]}}");
    assertThat(reason()).isEqualTo("EmptyResult");
    answer(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}");
    assertThat(reason()).isEqualTo("QueryFailed");
    answer(502, "<html>bad gateway</html>");
    assertThat(reason()).isEqualTo("PrometheusUnavailable");
    prometheus.stop();
    assertThat(reason()).isEqualTo("PrometheusUnavailable");
  }

  String reason() {
    Result r = client.query("sum(x{a=\"b\"})");
    assertThat(r).isInstanceOf(Result.Failure.class);
    return ((Result.Failure) r).reason();
  }
}
