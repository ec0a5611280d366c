package dev.dovetail.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the CRD YAML that fabric8's CRD generator puts in {@code META-INF/fabric8/*.yml} of each
 * JAR (or classes directory) a class loader sees: the core's NodePool and NodeClaim and every
 * plugin's NodeClass.
 */
final class CrdFiles {
  static final String DIRECTORY = "META-INF/fabric8/";

  private CrdFiles() {}

  static List<JsonNode> load(ClassLoader loader) {
    List<JsonNode> crds = new ArrayList<>();
    try {
      for (URL dir : Collections.list(loader.getResources(DIRECTORY))) {
        for (String text : ymlFiles(dir)) {
          JsonNode crd = Json.YAML.readTree(text);
          if (crd != null && "CustomResourceDefinition".equals(crd.path("kind").asText())) {
            crds.add(crd);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CRDs from the classpath", e);
    }
    return crds;
  }

  private static List<String> ymlFiles(URL dir) throws IOException {
    List<String> out = new ArrayList<>();
    if ("file".equals(dir.getProtocol())) {
      try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
        for (Path p : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
          out.add(Files.readString(p));
        }
      } catch (URISyntaxException e) {
        throw new IOException(e);
      }
    } else if ("jar".equals(dir.getProtocol())) {
      JarURLConnection connection = (JarURLConnection) dir.openConnection();
      connection.setUseCaches(false);
      try (JarFile jar = connection.getJarFile()) {
        for (JarEntry e : Collections.list(jar.entries())) {
          if (e.getName().startsWith(DIRECTORY) && e.getName().endsWith(".yml")) {
            try (InputStream in = jar.getInputStream(e)) {
              out.add(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
          }
        }
      }
    }
    return out;
  }
}
