package dev.dovetail.plugins.simulated;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A cloud's instance catalog: region, three zones and the machine shapes with list prices. The
 * files are generated from upstream sources (see each file's {@code sources}) and ship inside the
 * plugin JAR under {@code catalogs/}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Catalog(
    String provider,
    String region,
    String currency,
    List<String> zones,
    List<CatalogEntry> instanceTypes) {

  /** The catalogs shipped in the JAR. */
  public static final List<String> BUILT_IN = List.of("aws", "azure", "gcp");

  public Catalog {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(region, "region");
    zones = List.copyOf(zones);
    instanceTypes = List.copyOf(instanceTypes);
    if (zones.isEmpty()) {
      throw new IllegalArgumentException("catalog " + provider + " has no zones");
    }
  }

  /**
   * Parses a built-in catalog from the plugin's own class loader (PF4J gives each plugin its own,
   * so the resource is found inside the plugin JAR, not on the core's class path).
   */
  public static Catalog load(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    if (!BUILT_IN.contains(key)) {
      throw new IllegalArgumentException(
          "unknown catalog '" + name + "', expected one of " + BUILT_IN);
    }
    String resource = "catalogs/" + key + ".json";
    try (InputStream in = Catalog.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the plugin JAR");
      }
      return parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  public static Catalog parse(InputStream json) throws IOException {
    ObjectMapper mapper =
        new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    return mapper.readValue(json, Catalog.class);
  }
}
