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
  void extraDirectoriesAddPluginsAndDuplicatesAcrossThemAreRefused() throws Exception {
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
    PluginLoadException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            PluginLoadException.class,
            () -> new PluginLoader(dir, work).withExtraDirectories(List.of(extra)).load());
    assertThat(e.reason()).isEqualTo(Reason.DUPLICATE_ID);
    assertThat(e.getMessage()).contains("a.jar").contains("a-again.jar");
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
    PluginLoadException e = failure(Reason.BROKEN_PLUGIN);
    assertThat(e.getMessage())
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
    PluginLoadException e = failure(Reason.CORRUPT_ARCHIVE);
    assertThat(e.getMessage())
        .contains(dir.resolve("broken.jar").toString())
        .contains("not a readable JAR")
        .contains("remove it");
  }

  @Test
  void jarOfGarbageIsReportedByName() throws Exception {
    Files.writeString(dir.resolve("garbage.jar"), "this is not a zip file");
    PluginLoadException e = failure(Reason.CORRUPT_ARCHIVE);
    assertThat(e.getMessage()).contains("garbage.jar");
  }

  @Test
  void corruptZipIsReportedByName() throws Exception {
    Files.writeString(dir.resolve("broken-plugin.zip"), "PK but not really");
    PluginLoadException e = failure(Reason.CORRUPT_ARCHIVE);
    assertThat(e.getMessage()).contains("broken-plugin.zip").contains("not a readable zip");
    try (Stream<Path> inWork = Files.list(work)) {
      assertThat(inWork).as("extraction directory removed").isEmpty();
    }
  }

  @Test
  void jarWithoutPluginIdIsNotAPlugin() throws Exception {
    fixtures.libraryJar(dir, "commons-lang.jar");
    PluginLoadException e = failure(Reason.INVALID_DESCRIPTOR);
    assertThat(e.getMessage()).contains("commons-lang.jar").contains("Plugin-Id");
  }

  @Test
  void pluginBuiltForAnotherApiVersionIsRefusedByPf4j() throws Exception {
    fixtures.jar(dir, "future.jar", Spec.of("future").requires(">=0.2.0 & <0.3.0"));
    PluginLoadException e = failure(Reason.INCOMPATIBLE_API);
    assertThat(e.getMessage())
        .contains("future.jar")
        .contains(">=0.2.0 & <0.3.0")
        .contains("plugin-api " + CloudProvider.API_VERSION);
  }

  @Test
  void malformedRequiresIsReported() throws Exception {
    fixtures.jar(dir, "odd.jar", Spec.of("odd").requires("banana"));
    PluginLoadException e = failure(Reason.INVALID_DESCRIPTOR);
    assertThat(e.getMessage()).contains("odd.jar").contains("malformed Plugin-Requires 'banana'");
  }

  @Test
  void pluginThatDoesNotDeclareItsApiVersionIsRefused() throws Exception {
    fixtures.jar(dir, "vague.jar", Spec.of("vague").requires(null));
    PluginLoadException e = failure(Reason.INVALID_DESCRIPTOR);
    assertThat(e.getMessage()).contains("vague.jar").contains("Plugin-Requires");
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
    PluginLoadException e = failure(Reason.DUPLICATE_ID);
    assertThat(e.getMessage()).contains("'aws'").contains("aws-1.0.jar").contains("aws-2.0.jar");
  }

  @Test
  void duplicateIdsAcrossJarAndZip() throws Exception {
    fixtures.jar(dir, "aws.jar", Spec.of("aws"));
    fixtures.zip(dir, "aws-plugin.zip", Spec.of("aws"));
    PluginLoadException e = failure(Reason.DUPLICATE_ID);
    assertThat(e.getMessage()).contains("aws.jar").contains("aws-plugin.zip");
  }

  @Test
  void twoPluginsProvidingTheSameProviderNameAreRefused() throws Exception {
    fixtures.jar(dir, "a.jar", Spec.of("aws-old").providerName("aws"));
    fixtures.jar(dir, "b.jar", Spec.of("aws-new").providerName("aws"));
    PluginLoadException e = failure(Reason.DUPLICATE_ID);
    assertThat(e.getMessage()).contains("'aws'").contains("a.jar").contains("b.jar");
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
  void pluginWithoutAProviderIsListedAsNotFunctional() throws Exception {
    fixtures.jar(dir, "empty.jar", Spec.of("empty").withoutExtension());
    try (LoadedPlugins plugins = load()) {
      LoadedProvider listed = plugins.providers().get(0);
      assertThat(listed.provider()).isEmpty();
      assertThat(listed.functional()).isFalse();
      assertThat(listed.status()).contains("no CloudProvider extension");
      assertThatThrownBy(() -> plugins.select("empty"))
          .isInstanceOfSatisfying(
              PluginLoadException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FUNCTIONAL));
    }
  }
}
