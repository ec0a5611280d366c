package dev.dovetail.plugins;

import java.util.Objects;

/**
 * A plugin problem a user can act on. The message names the file (or directory) at fault and says
 * what to do; {@link #reason()} lets callers and tests tell the cases apart without parsing text.
 */
public final class PluginLoadException extends Exception {

  /** What went wrong. */
  public enum Reason {
    /** The plugins directory does not exist or is not a directory. */
    MISSING_DIRECTORY,
    /** The plugins directory holds no plugin. */
    NO_PLUGINS,
    /** A .jar or .zip cannot be read as an archive. */
    CORRUPT_ARCHIVE,
    /** A plugin's descriptor (manifest or plugin.properties) is missing or incomplete. */
    INVALID_DESCRIPTOR,
    /** A plugin's Plugin-Requires does not accept this core's plugin-api version. */
    INCOMPATIBLE_API,
    /** Two plugins declare the same Plugin-Id. */
    DUPLICATE_ID,
    /** A plugin contributes no {@code CloudProvider} extension. */
    NO_PROVIDER,
    /** A plugin's classes cannot be loaded, or it failed to start or instantiate. */
    BROKEN_PLUGIN,
    /** No loaded plugin provides the provider asked for. */
    UNKNOWN_PROVIDER,
    /** The provider asked for exists but declares itself not functional. */
    NOT_FUNCTIONAL
  }

  private final Reason reason;

  public PluginLoadException(Reason reason, String message) {
    this(reason, message, null);
  }

  public PluginLoadException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
