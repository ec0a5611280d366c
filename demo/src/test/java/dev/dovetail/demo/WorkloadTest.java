package dev.dovetail.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The lazy workload is the eager one it replaced, pod for pod: the benchmarks' figures stay
 * comparable with those measured before. The reference below is the eager generator as it was
 * (commit a9f301d), kept here verbatim in its draws.
 */
class WorkloadTest {

  @ParameterizedTest
  @CsvSource({"1,42", "7,1", "10,1", "20,2", "1000,42", "20000,42", "20000,43"})
  void theStreamedPodsAreTheEagerGeneratorsForASeed(int count, long seed) {
    List<Pod> reference = eager(count, seed);

    List<Pod> streamed = new ArrayList<>();
    Workload.stream(count, seed).forEach(streamed::add);

    assertThat(streamed).hasSize(count).isEqualTo(reference);
    assertThat(Workload.pods(count, seed)).isEqualTo(reference);
  }

  @ParameterizedTest
  @CsvSource({"20000,42"})
  void eachIterationStartsAgainFromTheSeed(int count, long seed) {
    Iterable<Pod> stream = Workload.stream(count, seed);
    List<String> first = new ArrayList<>();
    stream.forEach(p -> first.add(p.getMetadata().getName()));
    List<String> second = new ArrayList<>();
    stream.forEach(p -> second.add(p.getMetadata().getName()));

    assertThat(second).isEqualTo(first);
    assertThat(new HashSet<>(first)).hasSize(count); // unique, redrawn where 5 characters collide
  }

  @ParameterizedTest
  @CsvSource({"1,42", "7,1", "1000,42", "20000,42"})
  void mixedArrivalIsTheSamePodsWithTheKindsSideBySide(int count, long seed) {
    List<Pod> byKind = new ArrayList<>();
    Workload.stream(count, seed, Workload.Arrival.BY_KIND).forEach(byKind::add);
    List<Pod> mixed = new ArrayList<>();
    Workload.stream(count, seed, Workload.Arrival.MIXED).forEach(mixed::add);

    assertThat(byKind).isEqualTo(eager(count, seed));
    assertThat(mixed).hasSize(count).containsExactlyInAnyOrderElementsOf(byKind);
    // each kind's pods in their own order
    for (Workload.Kind kind : Workload.KINDS) {
      assertThat(ofApp(mixed, kind.app())).isEqualTo(ofApp(byKind, kind.app()));
    }
    if (count >= 1000) {
      // any 100 pods in a row hold each kind at its share, give or take one
      for (int start = 0; start + 100 <= count; start += 997) {
        List<Pod> window = mixed.subList(start, start + 100);
        for (Workload.Kind kind : Workload.KINDS) {
          assertThat(ofApp(window, kind.app()).size())
              .as("%s in pods %d..%d", kind.app(), start, start + 99)
              .isBetween((int) (kind.share() * 100) - 1, (int) Math.ceil(kind.share() * 100) + 1);
        }
      }
    }
  }

  @org.junit.jupiter.api.Test
  void anArrivalIsNamedAsOnTheCommandLine() {
    assertThat(Workload.Arrival.parse("mixed")).isEqualTo(Workload.Arrival.MIXED);
    assertThat(Workload.Arrival.parse("by-kind")).isEqualTo(Workload.Arrival.BY_KIND);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Workload.Arrival.parse("random"))
        .hasMessageContaining("--arrival")
        .hasMessageContaining("random");
  }

  private static List<Pod> ofApp(List<Pod> pods, String app) {
    return pods.stream().filter(p -> app.equals(p.getMetadata().getLabels().get("app"))).toList();
  }

  /** The generator before it streamed: every pod built up front, one set of all names. */
  private static List<Pod> eager(int count, long seed) {
    Random random = new Random(seed);
    List<Pod> pods = new ArrayList<>(count);
    int[] perKind = new int[Workload.KINDS.size()];
    int assigned = 0;
    for (int i = 0; i < Workload.KINDS.size(); i++) {
      perKind[i] = (int) Math.floor(Workload.KINDS.get(i).share() * count);
      assigned += perKind[i];
    }
    for (int i = Workload.KINDS.size() - 1; i >= 0 && assigned < count; i--) {
      if (perKind[i] == 0) {
        perKind[i]++;
        assigned++;
      }
    }
    perKind[0] += count - assigned;
    Set<String> names = new HashSet<>();
    for (int k = 0; k < Workload.KINDS.size(); k++) {
      Workload.Kind kind = Workload.KINDS.get(k);
      String rs = kind.app() + "-" + Integer.toHexString(random.nextInt(0xfffff) | 0x10000);
      for (int i = 0; i < perKind[k]; i++) {
        String name = rs + "-" + suffix(random);
        while (!names.add(name)) {
          name = rs + "-" + suffix(random);
        }
        pods.add(Workload.pod(kind, rs, name));
      }
    }
    return pods;
  }

  private static String suffix(Random random) {
    String chars = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      sb.append(chars.charAt(random.nextInt(chars.length())));
    }
    return sb.toString();
  }
}
