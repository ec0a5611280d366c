package dev.dovetail.validate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Paths in the repository the tests run in. */
public final class RepoPaths {
  private RepoPaths() {}

  public static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("charts")) && Files.isDirectory(dir.resolve("examples"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "repository root not found above " + Path.of("").toAbsolutePath());
  }

  /** The shipped NodeClass CRDs (every chart CRD outside karpenter.sh). */
  static List<Path> nodeClassCrds() {
    try (Stream<Path> files = Files.list(root().resolve("charts/dovetail/crds"))) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".yaml"))
          .filter(p -> !p.getFileName().toString().startsWith("karpenter.sh_"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A validator that knows the NodeClass kinds of every shipped CRD, as if all were installed. */
  static ManifestValidator validatorWithShippedNodeClasses() {
    return new ManifestValidator(CrdCatalog.of(List.of()).withCrdFiles(nodeClassCrds()));
  }
}
