package dev.dovetail.controllers.disruption.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.controllers.disruption.DisruptionController;
import dev.dovetail.scheduling.ExistingNode;
import dev.dovetail.scheduling.Scheduler;
import dev.dovetail.scheduling.SchedulingPod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * The same cluster run to its fixed point gives the same commands and the same end state, however
 * fast or loaded the machine is: a benchmark (and {@code dovetail simulate}) that answered
 * differently from run to run could not be compared between builds. The load is modelled by a clock
 * on which every reading is two minutes after the last, i.e. a machine so busy that one evaluation
 * takes longer than upstream's multi-node (1 min) and single-node (3 min) limits.
 */
class FixedPointDeterminismTest {
  /** A clock that moves this many minutes every time it is read. */
  private static LongSupplier crawling(int minutes) {
    long step = Duration.ofMinutes(minutes).toNanos();
    long[] t = {0};
    return () -> t[0] += step;
  }

  @Test
  void theFixedPointDoesNotDependOnHowFastTheMachineIs() {
    List<String> quiet = endState(ConsolidationScenario.fixedPointPlanner(System::nanoTime));
    List<String> again = endState(ConsolidationScenario.fixedPointPlanner(System::nanoTime));
    List<String> loaded = endState(ConsolidationScenario.fixedPointPlanner(crawling(2)));

    assertThat(again).isEqualTo(quiet);
    assertThat(loaded).isEqualTo(quiet);
  }

  /**
   * Two JVMs, one cluster, one end state. In one JVM a run repeats exactly even when something
   * iterates an immutable map ({@code Map.copyOf}, {@code Set.of}): that order is fixed by a salt
   * drawn once per JVM. The pods moved by a command used to arrive on their new node in the order
   * of such a map, so the same seed reached different fixed points in different runs.
   */
  @Test
  void anotherJvmReachesTheSameEndState() throws Exception {
    String here = fingerprint(endState(ConsolidationScenario.fixedPointPlanner(System::nanoTime)));

    assertThat(inAnotherJvm()).isEqualTo(here);
    assertThat(inAnotherJvm()).isEqualTo(here);
  }

  /** Prints the fingerprint of the fixed point's end state (run by the test in a child JVM). */
  public static void main(String[] args) {
    System.out.println(
        fingerprint(endState(ConsolidationScenario.fixedPointPlanner(System::nanoTime))));
  }

  private static String inAnotherJvm() throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                FixedPointDeterminismTest.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).isZero();
    return out;
  }

  private static String fingerprint(List<String> endState) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(String.join("\n", endState).getBytes(StandardCharsets.UTF_8));
      return endState.get(0)
          + ", "
          + (endState.size() - 1)
          + " nodes, "
          + HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theOperatorKeepsUpstreamsTimeLimits() {
    assertThat(DisruptionController.Options.DEFAULT.planner().multiNodeTimeout())
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(DisruptionController.Options.DEFAULT.planner().singleNodeTimeout())
        .isEqualTo(Duration.ofMinutes(3));
    ClusterModel model =
        ConsolidationScenario.build(30, 300, ConsolidationScenario.catalog(), "10%", 42);

    // every search is past its deadline at its first look, as upstream's would be
    DisruptionPlanner timed =
        new DisruptionPlanner(new Scheduler(), DisruptionPlanner.Options.DEFAULT, crawling(4));
    timed.plan(model, ConsolidationScenario.NOW);
    assertThat(timed.lastRejected().values())
        .contains("single-node consolidation timed out before reaching it");

    DisruptionPlanner untimed =
        new DisruptionPlanner(
            new Scheduler(), DisruptionPlanner.Options.DEFAULT.withoutTimeouts(), crawling(4));
    untimed.plan(model, ConsolidationScenario.NOW);
    assertThat(untimed.lastRejected().values()).noneMatch(why -> why.contains("timed out"));
  }

  /** Every node at the fixed point with its pods, in the model's order, and the passes taken. */
  private static List<String> endState(DisruptionPlanner planner) {
    ClusterModel model =
        ConsolidationScenario.build(120, 1_200, ConsolidationScenario.catalog(), "10%", 42);
    FixedPoint.Run run = FixedPoint.runWithModel(model, planner, 100);
    assertThat(run.result().podsLost()).isZero();
    List<String> out = new ArrayList<>();
    out.add("passes " + run.result().passes());
    for (ExistingNode n : run.model().nodes()) {
      StringBuilder b = new StringBuilder(n.name()).append(':');
      for (SchedulingPod p : n.pods()) {
        b.append(' ').append(p.id());
      }
      out.add(b.toString());
    }
    return out;
  }
}
