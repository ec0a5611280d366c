package dev.dovetail.operator;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Hides secret values (keys, passwords, tokens) before settings are printed or logged. */
public final class Redaction {
  private static final Pattern SECRET =
      Pattern.compile(".*(secret|password|token|credential|privatekey|accesskey).*");

  private Redaction() {}

  /** Whether a setting name names a secret ({@code secretAccessKey}, {@code clientSecret}, ...). */
  public static boolean isSecret(String key) {
    return SECRET.matcher(key.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT)).matches();
  }

  /** The settings, sorted, with secret values replaced by {@code <redacted>}. */
  public static Map<String, String> redact(Map<String, String> settings) {
    Map<String, String> out = new TreeMap<>();
    settings.forEach((k, v) -> out.put(k, isSecret(k) ? "<redacted>" : v));
    return out;
  }
}
