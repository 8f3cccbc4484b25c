package io.tms.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Logging for every {@code tms} command, configured in code: one line per event on standard error,
 * text or JSON ({@code TMS_LOG_FORMAT=json}: one object per line, for Loki or CloudWatch), through
 * an asynchronous appender that drops rather than blocks, at {@code TMS_LOG_LEVEL} (INFO by
 * default); the libraries' chatter at WARN. Sites and ids are in the messages as key=value
 * ({@code site=HOU1 seq=1042}); PINs never are.
 *
 * <p>Why not {@code logback.xml}: reading XML loads logback's Joran configurator and the JDK's XML
 * parser, ~600 classes the agent never needs again. With an AOT cache every class of the training
 * run is loaded at start, so they cost the edge agent ~5 MiB of RSS for its whole life (see
 * docs/runbooks/agent-jvm.md). Logback finds this class through {@code ServiceLoader}
 * ({@code META-INF/services/ch.qos.logback.classic.spi.Configurator}) before it looks for XML.
 * An XML configuration still wins when there is one — {@code -Dlogback.configurationFile}, or a
 * {@code logback-test.xml} / {@code logback.xml} on the class path (the modules' tests have theirs):
 * then this steps aside and logback reads it as usual.
 *
 * <p>The agent and the cloud depend on this module at runtime, so their images (which start
 * {@code AgentMain} and {@code CloudMain}, without tms-cli) log the same way as {@code ./tms}.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
  static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{24} - %msg%n";
  static final Map<String, Level> QUIET_LIBRARIES = Map.of(
      "org.eclipse.jetty", Level.WARN,
      "io.javalin", Level.WARN,
      "org.flywaydb", Level.WARN,
      "io.zonky", Level.WARN,
      "com.zaxxer.hikari", Level.WARN,
      "org.apache.pdfbox", Level.WARN);

  private final Map<String, String> env;

  /** For {@code ServiceLoader}: configured from the process environment. */
  public LogSetup() {
    this(System.getenv());
  }

  LogSetup(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (xmlConfigured()) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    boolean json = "json".equalsIgnoreCase(env.getOrDefault("TMS_LOG_FORMAT", "text").trim());
    Encoder<ILoggingEvent> encoder = json ? jsonEncoder(context) : textEncoder(context);

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName(json ? "json" : "text");
    console.setTarget("System.err");
    console.setEncoder(encoder);
    console.start();

    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName("ASYNC");
    async.setNeverBlock(true);
    async.addAppender(console);
    async.start();

    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(env.get("TMS_LOG_LEVEL"), Level.INFO));
    root.addAppender(async);
    QUIET_LIBRARIES.forEach((name, level) -> context.getLogger(name).setLevel(level));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** An XML configuration logback would otherwise read: a system property or a file on the class path. */
  private boolean xmlConfigured() {
    if (System.getProperty("logback.configurationFile") != null) {
      return true;
    }
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = LogSetup.class.getClassLoader();
    }
    return loader.getResource("logback-test.xml") != null || loader.getResource("logback.xml") != null;
  }

  private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    return encoder;
  }

  private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithMDC(true);
    encoder.setWithArguments(false);
    encoder.setWithMessage(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    return encoder;
  }
}
