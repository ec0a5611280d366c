package dev.dovetail.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dovetail.cli.PluginsCommand;
import dev.dovetail.plugins.PluginFixtures.Spec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PluginsCommandTest {

  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new PluginsCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void printsOneLinePerPlugin() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("plugins"));
    PluginFixtures fixtures = new PluginFixtures(Files.createDirectories(tmp.resolve("build")));
    fixtures.jar(dir, "sim.jar", Spec.of("simulated"));
    fixtures.jar(dir, "aws.jar", Spec.of("aws").notFunctional("model only: no EC2 client yet"));

    int code = run("--plugins-dir", dir.toString());

    assertThat(err.toString()).isEmpty();
    assertThat(code).isZero();
    assertThat(out.toString().lines())
        .containsExactly(
            "aws 1.2.3 not functional model only: no EC2 client yet",
            "simulated 1.2.3 functional ready");
  }

  @Test
  void aCorruptJarNextToTheOthersIsNamedOnStderrAndTheOthersAreListedFromEveryDirectory()
      throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("plugins"));
    Path extra = Files.createDirectories(tmp.resolve("extra"));
    PluginFixtures fixtures = new PluginFixtures(Files.createDirectories(tmp.resolve("build")));
    fixtures.jar(dir, "sim.jar", Spec.of("simulated"));
    Files.writeString(dir.resolve("broken.jar"), "truncated download");
    fixtures.jar(extra, "tinycloud.jar", Spec.of("tinycloud"));

    int code = run("--plugins-dir", dir.toString(), "--plugins-dir", extra.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString().lines())
        .containsExactly("simulated 1.2.3 functional ready", "tinycloud 1.2.3 functional ready");
    assertThat(err.toString().lines())
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .startsWith("warning: skipped " + dir.resolve("broken.jar") + ": ")
                    .contains("not a readable JAR"));
  }

  @Test
  void loadErrorsGoToStderrWithExitCode2() {
    Path missing = tmp.resolve("missing");
    int code = run("--plugins-dir", missing.toString());
    assertThat(code).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).startsWith("error: plugins directory " + missing);
  }
}
