package dev.dovetail.cli;

/**
 * A subcommand that lives outside the core JAR (e.g. {@code dovetail demo} in the dovetail-demo
 * module), found with {@link java.util.ServiceLoader} so the core's runtime classpath does not
 * carry it. Implementations are listed in {@code
 * META-INF/services/dev.dovetail.cli.SubcommandProvider}.
 */
public interface SubcommandProvider {
  /** The subcommand's name, e.g. {@code demo}. */
  String name();

  /**
   * The command it belongs under, e.g. {@code bench} for {@code dovetail bench provisioning}; null
   * for a top-level command.
   */
  default String parent() {
    return null;
  }

  /** A new picocli command object (annotated with {@code @Command}). */
  Object command();
}
