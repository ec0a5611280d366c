package dev.dovetail.plugins;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A plugin file that was skipped, and why. One bad file on the plugin path (corrupt, duplicate id,
 * built for another plugin-api, no provider) must not stop the others from loading: it is reported
 * with this record and left out; only selecting it with {@code --provider} is an error.
 *
 * @param file the .jar, .zip or directory the user put on the plugin path
 * @param pluginId its plugin id, when its descriptor could be read
 * @param reason what went wrong
 * @param message a sentence naming the file and saying what to do
 */
public record PluginProblem(
    Path file, Optional<String> pluginId, PluginLoadException.Reason reason, String message) {

  public PluginProblem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(pluginId, "pluginId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  static PluginProblem of(Path file, String pluginId, PluginLoadException e) {
    return new PluginProblem(file, Optional.ofNullable(pluginId), e.reason(), e.getMessage());
  }

  /** e.g. {@code skipped /plugins/broken.jar: /plugins/broken.jar is not a readable JAR ...}. */
  public String describe() {
    return "skipped " + file + ": " + message;
  }
}
