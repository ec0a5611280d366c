package dev.dovetail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchConsolidationCommandTest {
  @Test
  void printsTheRequestedJsonFields() throws Exception {
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int rc;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      rc =
          new CommandLine(new BenchConsolidationCommand())
              .execute("--nodes", "30", "--pods", "300", "--json");
    } finally {
      System.setOut(saved);
    }
    assertThat(rc).isZero();
    JsonNode json = new ObjectMapper().readTree(buf.toString(StandardCharsets.UTF_8));
    assertThat(json.get("nodes").asInt()).isEqualTo(30);
    assertThat(json.get("pods").asInt()).isEqualTo(300);
    assertThat(json.has("durationMs")).isTrue();
    assertThat(json.get("costPerHourAfter").asDouble())
        .isLessThan(json.get("costPerHourBefore").asDouble());
    assertThat(json.get("podsLost").asInt()).isZero();
    // run to the fixed point: a pass that found nothing ends it
    assertThat(json.get("passes").asInt()).isGreaterThan(1);
    assertThat(json.get("fixedPointCpuMs").asLong()).isNotNegative();
    assertThat(json.get("fixedPointPodsLost").asInt()).isZero();
    assertThat(json.get("fixedPointRatioToLowerBound").asDouble()).isGreaterThanOrEqualTo(1.0);
  }
}
