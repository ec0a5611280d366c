package dev.dovetail.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dovetail.cloudprovider.CloudProvider;
import dev.dovetail.plugins.PluginFixtures.Spec;
import dev.dovetail.plugins.PluginLoadException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginClassLoader;

class PluginLoaderTest {

  @TempDir Path tmp;
  private Path dir;
  private Path work;
  private PluginFixtures fixtures;

  @BeforeEach
  void setUp() throws IOException {
    dir = Files.createDirectories(tmp.resolve("plugins"));
    work = Files.createDirectories(tmp.resolve("work"));
    fixtures = new PluginFixtures(Files.createDirectories(tmp.resolve("build")));
  }

  private LoadedPlugins load() throws PluginLoadException {
    return new PluginLoader(dir, work).load();
  }

  /** Loads, expecting exactly one file skipped for {@code reason}; returns its report. */
  private PluginProblem skipped(Reason reason) throws PluginLoadException {
    try (LoadedPlugins plugins = load()) {
      assertThat(plugins.problems()).as(plugins.problems().toString()).hasSize(1);
      PluginProblem problem = plugins.problems().get(0);
      assertThat(problem.reason()).as(problem.message()).isEqualTo(reason);
      assertThat(problem.describe()).startsWith("skipped " + problem.file() + ": ");
      return problem;
    }
  }

  private PluginLoadException failure(Reason reason) {
    PluginLoadException e =
        org.junit.jupiter.api.Assertions.assertThrows(PluginLoadException.class, this::load);
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
    return e;
  }

  @Test
  void loadsAProviderJarThroughPf4jFromItsOwnClassLoader() throws Exception {
    fixtures.jar(dir, "fake-1.2.3.jar", Spec.of("fake"));
    Files.writeString(dir.resolve("README.txt"), "not a plugin");
    Files.writeString(dir.resolve(".hidden.jar"), "ignored: hidden");
    Files.createDirectories(dir.resolve("lost+found"));

    try (LoadedPlugins plugins = load()) {
      assertThat(plugins.providers()).hasSize(1);
      LoadedProvider loaded = plugins.providers().get(0);
      assertThat(loaded.pluginId()).isEqualTo("fake");
      assertThat(loaded.version()).isEqualTo("1.2.3");
      assertThat(loaded.source()).isEqualTo(dir.resolve("fake-1.2.3.jar"));
      assertThat(loaded.functional()).isTrue();
      assertThat(loaded.status()).isEqualTo("ready");
      assertThat(loaded.nodeClassKinds())
          .singleElement()
          .satisfies(k -> assertThat(k.kind()).isEqualTo("FixtureNodeClass"));

      CloudProvider provider = PluginContextProvider.unwrap(loaded.provider().orElseThrow());
      assertThat(provider.name()).isEqualTo("fake");
      assertThat(provider.getClass().getName())
          .isEqualTo(PluginFixtures.providerClassOf(Spec.of("fake")));
      assertThat(provider.getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);
      // The SPI itself is the core's, not a copy: otherwise the cast above would have failed.
      assertThat(provider).isInstanceOf(CloudProvider.class);
      assertThatThrownBy(() -> Class.forName(provider.getClass().getName()))
          .isInstanceOf(ClassNotFoundException.class);

      assertThat(plugins.select("fake")).isSameAs(loaded);
    }
  }

  @Test
  void extraDirectoriesAddPluginsAndADuplicateAcrossThemIsSkippedFirstOnThePathWins()
      throws Exception {
    Path extra = Files.createDirectories(tmp.resolve("extra"));
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    fixtures.jar(dir, "a.jar", Spec.of("alpha"));
    fixtures.jar(extra, "b.jar", Spec.of("beta"));
    try (LoadedPlugins plugins =
        new PluginLoader(dir, work).withExtraDirectories(List.of(extra, empty)).load()) {
      assertThat(plugins.providers())
          .extracting(LoadedProvider::pluginId)
          .containsExactlyInAnyOrder("alpha", "beta");
    }
    fixtures.jar(extra, "a-again.jar", Spec.of("alpha"));
    try (LoadedPlugins plugins =
        new PluginLoader(dir, work).withExtraDirectories(List.of(extra)).load()) {
      assertThat(plugins.select("alpha").source()).isEqualTo(dir.resolve("a.jar"));
      assertThat(plugins.select("beta").source()).isEqualTo(extra.resolve("b.jar"));
      assertThat(plugins.problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.reason()).isEqualTo(Reason.DUPLICATE_ID);
                assertThat(p.file()).isEqualTo(extra.resolve("a-again.jar"));
                assertThat(p.message()).contains("a.jar").contains("a-again.jar");
              });
    }
  }

  @Test
  void selectsByProviderNameOrPluginId() throws Exception {
    fixtures.jar(dir, "a.jar", Spec.of("dovetail-plugin-alpha").providerName("alpha"));
    fixtures.jar(dir, "b.jar", Spec.of("beta"));
    try (LoadedPlugins plugins = load()) {
      assertThat(plugins.providers())
          .extracting(LoadedProvider::pluginId)
          .containsExactly("beta", "dovetail-plugin-alpha");
      assertThat(plugins.select("alpha").pluginId()).isEqualTo("dovetail-plugin-alpha");
      assertThat(plugins.select("dovetail-plugin-alpha").name()).isEqualTo("alpha");
      assertThat(plugins.select("beta").name()).isEqualTo("beta");
    }
  }

  @Test
  void loadsAPf4jZipWithItsOwnLibrariesWithoutWritingToThePluginsDirectory() throws Exception {
    fixtures.zip(dir, "zipped-1.2.3-plugin.zip", Spec.of("zipped"));
    Path extracted;
    try (LoadedPlugins plugins = load()) {
      LoadedProvider loaded = plugins.select("zipped");
      assertThat(loaded.source()).isEqualTo(dir.resolve("zipped-1.2.3-plugin.zip"));
      // status() calls a class that only exists in the zip's lib/helper-lib.jar
      assertThat(loaded.status()).isEqualTo("ready (from lib)");
      try (Stream<Path> inDir = Files.list(dir)) {
        assertThat(inDir).containsExactly(dir.resolve("zipped-1.2.3-plugin.zip"));
      }
      try (Stream<Path> inWork = Files.list(work)) {
        extracted = inWork.findFirst().orElseThrow();
      }
      assertThat(extracted.getFileName().toString()).startsWith("dovetail-plugins-");
    }
    assertThat(extracted).doesNotExist();
  }

  @Test
  void pluginBundlingItsOwnCopyOfThePluginApiStillGetsTheCoresSpi() throws Exception {
    Path api = fixtures.pluginApiJar(tmp);
    fixtures.zip(dir, "careless-plugin.zip", Spec.of("careless"), java.util.List.of(api));
    try (LoadedPlugins plugins = load()) {
      CloudProvider provider =
          PluginContextProvider.unwrap(plugins.select("careless").provider().orElseThrow());
      assertThat(provider.getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);
      assertThat(provider.getClass().getInterfaces()).containsExactly(CloudProvider.class);
    }
  }

  @Test
  void providerWhoseLibraryIsMissingIsReportedWithAHint() throws Exception {
    fixtures.jarMissingItsLibrary(dir, "needy.jar", Spec.of("needy"));
    PluginProblem e = skipped(Reason.BROKEN_PLUGIN);
    assertThat(e.message())
        .contains("needy.jar")
        .contains("com.example.plugins.needy.lib.Helper")
        .contains("must ship as a PF4J zip with them in lib/");
  }

  @Test
  void callsIntoTheProviderRunWithThePluginClassLoaderAsContext() throws Exception {
    fixtures.jar(dir, "ctx.jar", Spec.of("ctx"));
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    try (LoadedPlugins plugins = load()) {
      CloudProvider provider = plugins.select("ctx").provider().orElseThrow();
      // the fixture's isDrifted() answers with the context class loader it runs under
      assertThat(provider.isDrifted(null))
          .contains(PluginContextProvider.unwrap(provider).getClass().getClassLoader().toString());
      assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
      assertThatThrownBy(() -> provider.delete("i-123"))
          .isExactlyInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void unknownProviderListsTheProvidersFound() throws Exception {
    fixtures.jar(dir, "a.jar", Spec.of("alpha"));
    fixtures.jar(dir, "b.jar", Spec.of("beta"));
    try (LoadedPlugins plugins = load()) {
      assertThatThrownBy(() -> plugins.select("gamma"))
          .isInstanceOfSatisfying(
              PluginLoadException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_PROVIDER))
          .hasMessageContaining("unknown provider 'gamma'")
          .hasMessageContaining("alpha (plugin 1.2.3, a.jar)")
          .hasMessageContaining("beta (plugin 1.2.3, b.jar)")
          .hasMessageContaining(dir.toString());
    }
  }

  @Test
  void emptyDirectoryIsAnError() {
    PluginLoadException e = failure(Reason.NO_PLUGINS);
    assertThat(e.getMessage()).contains(dir.toString()).contains("it is empty");
  }

  @Test
  void directoryWithOnlyJunkHasNoPlugins() throws Exception {
    Files.writeString(dir.resolve("README.txt"), "hello");
    PluginLoadException e = failure(Reason.NO_PLUGINS);
    assertThat(e.getMessage()).contains("README.txt");
  }

  @Test
  void missingDirectoryIsAnError() {
    dir = tmp.resolve("nope");
    PluginLoadException e = failure(Reason.MISSING_DIRECTORY);
    assertThat(e.getMessage())
        .contains(dir.toString())
        .contains("does not exist")
        .contains("--plugins-dir");
  }

  @Test
  void truncatedJarIsReportedByName() throws Exception {
    fixtures.jar(dir, "good.jar", Spec.of("good"));
    Path whole = fixtures.jar(tmp, "whole.jar", Spec.of("broken"));
    byte[] bytes = Files.readAllBytes(whole);
    Files.write(dir.resolve("broken.jar"), Arrays.copyOf(bytes, bytes.length / 2));
    PluginProblem e = skipped(Reason.CORRUPT_ARCHIVE);
    assertThat(e.message())
        .contains(dir.resolve("broken.jar").toString())
        .contains("not a readable JAR")
        .contains("remove it");
  }

  @Test
  void jarOfGarbageIsReportedByName() throws Exception {
    Files.writeString(dir.resolve("garbage.jar"), "this is not a zip file");
    PluginProblem e = skipped(Reason.CORRUPT_ARCHIVE);
    assertThat(e.message()).contains("garbage.jar");
  }

  @Test
  void corruptZipIsReportedByName() throws Exception {
    Files.writeString(dir.resolve("broken-plugin.zip"), "PK but not really");
    PluginProblem e = skipped(Reason.CORRUPT_ARCHIVE);
    assertThat(e.message()).contains("broken-plugin.zip").contains("not a readable zip");
    try (Stream<Path> inWork = Files.list(work)) {
      assertThat(inWork).as("extraction directory removed").isEmpty();
    }
  }

  @Test
  void jarWithoutPluginIdIsNotAPlugin() throws Exception {
    fixtures.libraryJar(dir, "commons-lang.jar");
    PluginProblem e = skipped(Reason.INVALID_DESCRIPTOR);
    assertThat(e.message()).contains("commons-lang.jar").contains("Plugin-Id");
  }

  @Test
  void pluginBuiltForAnotherApiVersionIsRefusedByPf4j() throws Exception {
    fixtures.jar(dir, "future.jar", Spec.of("future").requires(">=0.2.0 & <0.3.0"));
    PluginProblem e = skipped(Reason.INCOMPATIBLE_API);
    assertThat(e.message())
        .contains("future.jar")
        .contains(">=0.2.0 & <0.3.0")
        .contains("plugin-api " + CloudProvider.API_VERSION);
  }

  @Test
  void malformedRequiresIsReported() throws Exception {
    fixtures.jar(dir, "odd.jar", Spec.of("odd").requires("banana"));
    PluginProblem e = skipped(Reason.INVALID_DESCRIPTOR);
    assertThat(e.message()).contains("odd.jar").contains("malformed Plugin-Requires 'banana'");
  }

  @Test
  void pluginThatDoesNotDeclareItsApiVersionIsRefused() throws Exception {
    fixtures.jar(dir, "vague.jar", Spec.of("vague").requires(null));
    PluginProblem e = skipped(Reason.INVALID_DESCRIPTOR);
    assertThat(e.message()).contains("vague.jar").contains("Plugin-Requires");
  }

  @Test
  void exactRequiresIsAMinimum() throws Exception {
    fixtures.jar(dir, "old.jar", Spec.of("old").requires("0.0.1"));
    try (LoadedPlugins plugins = load()) {
      assertThat(plugins.select("old").functional()).isTrue();
    }
  }

  @Test
  void duplicateIdsNameBothFiles() throws Exception {
    fixtures.jar(dir, "aws-1.0.jar", Spec.of("aws"));
    fixtures.jar(dir, "aws-2.0.jar", Spec.of("aws"));
    PluginProblem e = skipped(Reason.DUPLICATE_ID);
    assertThat(e.message()).contains("'aws'").contains("aws-1.0.jar").contains("aws-2.0.jar");
  }

  @Test
  void duplicateIdsAcrossJarAndZip() throws Exception {
    fixtures.jar(dir, "aws.jar", Spec.of("aws"));
    fixtures.zip(dir, "aws-plugin.zip", Spec.of("aws"));
    PluginProblem e = skipped(Reason.DUPLICATE_ID);
    assertThat(e.message()).contains("aws.jar").contains("aws-plugin.zip");
  }

  @Test
  void twoPluginsProvidingTheSameProviderNameAreRefused() throws Exception {
    fixtures.jar(dir, "a.jar", Spec.of("aws-old").providerName("aws"));
    fixtures.jar(dir, "b.jar", Spec.of("aws-new").providerName("aws"));
    PluginProblem e = skipped(Reason.DUPLICATE_ID);
    assertThat(e.message()).contains("'aws'").contains("a.jar").contains("b.jar");
  }

  @Test
  void nonFunctionalProviderIsListedButRefused() throws Exception {
    fixtures.jar(
        dir,
        "model.jar",
        Spec.of("model").notFunctional("model only: launching is not implemented"));
    try (LoadedPlugins plugins = load()) {
      LoadedProvider listed = plugins.providers().get(0);
      assertThat(listed.functional()).isFalse();
      assertThat(listed.status()).isEqualTo("model only: launching is not implemented");
      assertThatThrownBy(() -> plugins.select("model"))
          .isInstanceOfSatisfying(
              PluginLoadException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FUNCTIONAL))
          .hasMessageContaining("not functional")
          .hasMessageContaining("model only: launching is not implemented");
    }
  }

  @Test
  void pluginWithoutAProviderIsSkippedAndSelectingItSaysWhy() throws Exception {
    fixtures.jar(dir, "empty.jar", Spec.of("empty").withoutExtension());
    PluginProblem e = skipped(Reason.NO_PROVIDER);
    assertThat(e.file()).isEqualTo(dir.resolve("empty.jar"));
    assertThat(e.pluginId()).contains("empty");
    assertThat(e.message()).contains("no CloudProvider extension").contains("@Extension");
    try (LoadedPlugins plugins = load()) {
      assertThat(plugins.providers()).isEmpty();
      assertThatThrownBy(() -> plugins.select("empty"))
          .isInstanceOfSatisfying(
              PluginLoadException.class, x -> assertThat(x.reason()).isEqualTo(Reason.NO_PROVIDER))
          .hasMessageContaining("provider 'empty' cannot be used")
          .hasMessageContaining("empty.jar");
    }
  }

  @Test
  void everyKindOfBadPluginIsSkippedAndTheGoodOnesStillLoad() throws Exception {
    Path extra = Files.createDirectories(tmp.resolve("extra"));
    fixtures.jar(dir, "good-1.2.3.jar", Spec.of("good"));
    Files.writeString(dir.resolve("corrupt.jar"), "not a zip at all");
    fixtures.jar(dir, "future.jar", Spec.of("future").requires(">=0.2.0 & <0.3.0"));
    fixtures.jar(dir, "hollow.jar", Spec.of("hollow").withoutExtension());
    fixtures.jar(extra, "good-again.jar", Spec.of("good"));
    fixtures.jar(extra, "other.jar", Spec.of("other"));

    try (LoadedPlugins plugins =
        new PluginLoader(dir, work).withExtraDirectories(List.of(extra)).load()) {
      assertThat(plugins.providers())
          .extracting(LoadedProvider::pluginId)
          .containsExactly("good", "other");
      assertThat(plugins.select("good").provider().orElseThrow().name()).isEqualTo("good");
      assertThat(plugins.problems())
          .extracting(PluginProblem::file, PluginProblem::reason)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(
                  dir.resolve("corrupt.jar"), Reason.CORRUPT_ARCHIVE),
              org.assertj.core.groups.Tuple.tuple(
                  dir.resolve("future.jar"), Reason.INCOMPATIBLE_API),
              org.assertj.core.groups.Tuple.tuple(dir.resolve("hollow.jar"), Reason.NO_PROVIDER),
              org.assertj.core.groups.Tuple.tuple(
                  extra.resolve("good-again.jar"), Reason.DUPLICATE_ID));
      assertThatThrownBy(() -> plugins.select("future"))
          .isInstanceOfSatisfying(
              PluginLoadException.class,
              x -> assertThat(x.reason()).isEqualTo(Reason.INCOMPATIBLE_API))
          .hasMessageContaining("future.jar")
          .hasMessageContaining(">=0.2.0 & <0.3.0");
      assertThatThrownBy(() -> plugins.select("gamma"))
          .hasMessageContaining("unknown provider 'gamma'")
          .hasMessageContaining(dir + ":" + extra)
          .hasMessageContaining(dir.resolve("corrupt.jar") + ": CORRUPT_ARCHIVE");
    }
  }
}
