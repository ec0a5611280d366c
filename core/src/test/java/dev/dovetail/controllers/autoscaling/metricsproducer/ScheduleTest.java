package dev.dovetail.controllers.autoscaling.metricsproducer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dovetail.apis.autoscaling.v1alpha1.ScheduleSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The published v0.1 scheduled-capacity example, read at hand-picked instants. */
class ScheduleTest {
  static ScheduleSpec example() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    Path file = Path.of("..", "examples", "autoscaling", "scheduled-capacity.yaml");
    JsonNode first =
        yaml.readerFor(JsonNode.class).readValues(file.toFile()).next() instanceof JsonNode n
            ? n
            : null;
    return yaml.treeToValue(first.path("spec").path("scheduleSpec"), ScheduleSpec.class);
  }

  @Test
  void theExampleScheduleFollowsLosAngelesOfficeHours() throws IOException {
    ScheduleSpec s = example();
    // Wednesday 2026-01-07 10:00 in Los Angeles (18:00 UTC): work hours, 6
    assertThat(Schedule.replicas(s, Instant.parse("2026-01-07T18:00:00Z"))).isEqualTo(6);
    // Wednesday 20:00 in Los Angeles (04:00 UTC Thursday): weekday evening, 4
    assertThat(Schedule.replicas(s, Instant.parse("2026-01-08T04:00:00Z"))).isEqualTo(4);
    // Saturday noon in Los Angeles: weekend, 2
    assertThat(Schedule.replicas(s, Instant.parse("2026-01-10T20:00:00Z"))).isEqualTo(2);
    // Friday 16:59 in Los Angeles: still work hours
    assertThat(Schedule.replicas(s, Instant.parse("2026-01-10T00:59:00Z"))).isEqualTo(6);
  }

  @Test
  void noBehaviorInForceGivesTheDefault() throws IOException {
    ScheduleSpec s = example();
    s.behaviors = java.util.List.of(s.behaviors.get(1)); // only work hours
    assertThat(Schedule.replicas(s, Instant.parse("2026-01-10T20:00:00Z"))).isEqualTo(1);
  }
}
