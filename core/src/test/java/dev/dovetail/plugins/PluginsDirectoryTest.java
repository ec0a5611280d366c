package dev.dovetail.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PluginsDirectoryTest {

  private static final Optional<Path> CORE_IN_DIST =
      Optional.of(Path.of("/opt/dovetail/lib/dovetail-core-0.1.0.jar"));

  @Test
  void defaultsToPluginsNextToTheDistribution() {
    assertThat(PluginsDirectory.resolve(null, Map.of(), CORE_IN_DIST))
        .isEqualTo(Path.of("/opt/dovetail/plugins"));
  }

  @Test
  void environmentOverridesTheDefault() {
    assertThat(
            PluginsDirectory.resolve(
                null, Map.of(PluginsDirectory.ENV, "/srv/plugins"), CORE_IN_DIST))
        .isEqualTo(Path.of("/srv/plugins"));
  }

  @Test
  void optionOverridesTheEnvironment() {
    assertThat(
            PluginsDirectory.resolve(
                Path.of("/mnt/p"), Map.of(PluginsDirectory.ENV, "/srv/plugins"), CORE_IN_DIST))
        .isEqualTo(Path.of("/mnt/p"));
  }

  @Test
  void outsideADistributionFallsBackToTheWorkingDirectory() {
    Path expected = Path.of("plugins").toAbsolutePath().normalize();
    assertThat(
            PluginsDirectory.resolve(
                null, Map.of(), Optional.of(Path.of("/src/core/target/classes"))))
        .isEqualTo(expected);
    assertThat(PluginsDirectory.resolve(null, Map.of(), Optional.empty())).isEqualTo(expected);
    assertThat(PluginsDirectory.resolve(null, Map.of(PluginsDirectory.ENV, " "), Optional.empty()))
        .isEqualTo(expected);
  }

  @Test
  void environmentVariableIsAPathListAndRepeatedOptionsWinOverIt() {
    assertThat(
            PluginsDirectory.resolveAll(
                List.of(), Map.of(PluginsDirectory.ENV, "/srv/plugins::/opt/extra/"), CORE_IN_DIST))
        .containsExactly(Path.of("/srv/plugins"), Path.of("/opt/extra"));
    assertThat(
            PluginsDirectory.resolveAll(
                List.of(Path.of("/a"), Path.of("/b")),
                Map.of(PluginsDirectory.ENV, "/srv/plugins"),
                CORE_IN_DIST))
        .containsExactly(Path.of("/a"), Path.of("/b"));
    assertThat(
            PluginsDirectory.resolveAll(List.of(), Map.of(PluginsDirectory.ENV, ":"), CORE_IN_DIST))
        .containsExactly(PluginsDirectory.resolve(null, Map.of(), CORE_IN_DIST));
  }
}
