package dev.dovetail.aws.launch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bottlerocket user data is TOML: read and written with {@code jackson-dataformat-toml} (shipped in
 * the plugin zip's {@code lib/}; the core provides Jackson itself), as nested maps in document
 * order. Invalid TOML is refused with the parser's position rather than guessed at.
 */
public final class Toml {
  private static final TomlMapper TOML = new TomlMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> DOCUMENT =
      new TypeReference<>() {};

  private Toml() {}

  /** Parses a document into nested {@code Map<String,Object>}s. */
  public static Map<String, Object> parse(String text) {
    try {
      Map<String, Object> doc = TOML.readValue(text, DOCUMENT);
      return doc == null ? new LinkedHashMap<>() : doc;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid TOML: " + e.getOriginalMessage(), e);
    }
  }

  /** Writes nested maps as TOML. */
  public static String write(Map<String, Object> doc) {
    try {
      return TOML.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write TOML: " + e.getOriginalMessage(), e);
    }
  }
}
