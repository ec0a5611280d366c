package dev.dovetail.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dovetail.plugins.simulated.SimulatedCloud;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real browser (Debian's headless Chromium, which CI installs): the page loads
 * without console errors, its DOM shows every node, and it renders to a non-empty image. Skipped,
 * saying so, where no Chromium is installed.
 */
class ReportHtmlBrowserTest {
  private static final List<String> BROWSERS =
      List.of("/usr/bin/chromium-headless-shell", "/usr/bin/chromium");

  @Test
  void theReportLoadsInHeadlessChromiumAndShowsEveryNode(@TempDir Path tmp) throws Exception {
    String browser =
        BROWSERS.stream().filter(b -> Files.isExecutable(Path.of(b))).findFirst().orElse(null);
    assumeTrue(
        browser != null,
        "no headless Chromium installed (apt-get install chromium-headless-shell)");

    SimulatedCloud cloud = SimulatedClouds.started("aws");
    SimulationReport r;
    try {
      Path dir = Path.of("src/test/resources/simulate");
      r =
          new Simulator(cloud, Instant.now())
              .provision(
                  Manifests.read(
                      Stream.of("nodepool.yaml", "existing.yaml", "inflate.yaml", "arm-only.yaml")
                          .map(dir::resolve)
                          .toList()));
    } finally {
      cloud.close();
    }
    Path page = tmp.resolve("report.html");
    Files.writeString(
        page,
        ReportHtml.render(
            r,
            List.of(
                new ReportHtml.TimelinePoint(0, 0, 10, 0, 0),
                new ReportHtml.TimelinePoint(5, 6, 10, 2, 0.4),
                new ReportHtml.TimelinePoint(9, 10, 10, 3, 0.6))));

    Run dom = run(browser, "--dump-dom", page.toUri().toString());
    assertThat(dom.exit()).isZero();
    for (SimulationReport.NodeBar n : r.nodes()) {
      assertThat(dom.out()).contains("data-node=\"" + n.name() + "\"");
    }
    assertThat(dom.out()).contains("id=\"timeline\"").contains("id=\"unschedulable\"");
    assertThat(dom.err()).doesNotContain("Uncaught").doesNotContain(":CONSOLE");

    Path png = tmp.resolve("report.png");
    Run shot =
        run(browser, "--screenshot=" + png, "--window-size=1000,1400", page.toUri().toString());
    assertThat(shot.exit()).isZero();
    assertThat(Files.size(png)).isGreaterThan(1000);
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String browser, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(browser, "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    return new Run(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }
}
