package dev.dovetail.plugins;

import static dev.dovetail.plugins.PluginLoadException.Reason.CORRUPT_ARCHIVE;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Archive checks and zip extraction, kept apart from the loading logic. */
final class PluginArchives {
  private PluginArchives() {}

  /** Reads the whole JAR, so a truncated or damaged file is reported before PF4J sees it. */
  static void checkJar(Path jar) throws PluginLoadException {
    try (JarFile file = new JarFile(jar.toFile(), true)) {
      file.getManifest();
      byte[] buffer = new byte[8192];
      for (Enumeration<java.util.jar.JarEntry> e = file.entries(); e.hasMoreElements(); ) {
        java.util.jar.JarEntry entry = e.nextElement();
        try (InputStream in = file.getInputStream(entry)) {
          while (in.read(buffer) >= 0) {
            // reading checks the entry's CRC
          }
        }
      }
    } catch (IOException | SecurityException e) {
      throw corrupt(jar, "JAR", e);
    }
  }

  /** Extracts a plugin zip into {@code workDir/<name>}, refusing entries that escape it. */
  static Path extractZip(Path zip, Path workDir) throws PluginLoadException {
    String name = zip.getFileName().toString();
    Path target = workDir.resolve(name.substring(0, name.length() - ".zip".length()));
    try (ZipFile file = new ZipFile(zip.toFile())) {
      Files.createDirectories(target);
      for (Enumeration<? extends ZipEntry> e = file.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        Path out = target.resolve(entry.getName()).normalize();
        if (!out.startsWith(target)) {
          throw new PluginLoadException(
              CORRUPT_ARCHIVE,
              "%s contains an entry outside the plugin (%s): it is not a plugin zip; remove it"
                  .formatted(zip, entry.getName()));
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          try (InputStream in = file.getInputStream(entry)) {
            Files.copy(in, out);
          }
        }
      }
    } catch (IOException e) {
      throw corrupt(zip, "zip", e);
    }
    return target;
  }

  private static PluginLoadException corrupt(Path file, String kind, Exception e) {
    return new PluginLoadException(
        CORRUPT_ARCHIVE,
        "%s is not a readable %s (%s): replace it with an intact copy of the plugin or remove it"
                .formatted(file, kind, PluginLoader.describe(e))
            + " from %s".formatted(file.getParent()),
        e);
  }
}
