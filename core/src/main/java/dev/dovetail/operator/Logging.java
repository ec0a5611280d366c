package dev.dovetail.operator;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Configures logging once at start: level, and JSON (default) or plain text, on stderr. */
public final class Logging {
  private Logging() {}

  public static void configure(String level, String format) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    ctx.reset();
    Encoder<ILoggingEvent> encoder;
    if ("text".equalsIgnoreCase(format)) {
      PatternLayoutEncoder p = new PatternLayoutEncoder();
      p.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n");
      p.setContext(ctx);
      p.start();
      encoder = p;
    } else {
      JsonEncoder j = new JsonEncoder();
      j.setWithArguments(false);
      j.setWithMessage(false);
      j.setWithFormattedMessage(true);
      j.setWithContext(false);
      j.setWithSequenceNumber(false);
      j.setWithNanoseconds(false);
      j.setContext(ctx);
      j.start();
      encoder = j;
    }
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(ctx);
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.setName("console");
    appender.start();
    ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(appender);
    root.setLevel(Level.toLevel(level, Level.INFO));
    // Client libraries are chatty at INFO; their warnings still show.
    for (String noisy :
        new String[] {"io.fabric8", "io.javaoperatorsdk", "org.pf4j", "io.vertx", "io.netty"}) {
      ctx.getLogger(noisy)
          .setLevel(
              Level.toLevel(level, Level.INFO).isGreaterOrEqual(Level.WARN)
                  ? Level.toLevel(level)
                  : Level.WARN);
    }
  }
}
