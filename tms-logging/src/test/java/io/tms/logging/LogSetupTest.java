package io.tms.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class LogSetupTest {

  @Test
  void logbackFindsItBeforeAnyXml() {
    assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
        .containsExactly(LogSetup.class);
    assertThat(getClass().getResource("/logback.xml")).isNull();
  }

  @Test
  void textByDefaultAtInfoWithLibrariesAtWarn() {
    LoggerContext context = configured(Map.of());
    Encoder<?> encoder = consoleOf(context).getEncoder();
    assertThat(encoder).isInstanceOf(ch.qos.logback.classic.encoder.PatternLayoutEncoder.class);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("org.eclipse.jetty.server.Server").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("io.tms.agent.Agent").getEffectiveLevel()).isEqualTo(Level.INFO);

    String line = encode(context, "site=HOU1 seq=42 appended");
    assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S+ INFO  \\[main\\] io\\.tms\\.agent\\.Agent - site=HOU1 seq=42 appended\\R");
  }

  @Test
  void jsonOneObjectPerLineAtTheConfiguredLevel() throws Exception {
    LoggerContext context = configured(Map.of("TMS_LOG_FORMAT", "json", "TMS_LOG_LEVEL", "debug"));
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);

    String line = encode(context, "site=HOU1 started");
    assertThat(line).endsWith("\n").doesNotContain("\n\n");
    JsonNode event = new ObjectMapper().readTree(line);
    assertThat(event.path("level").asText()).isEqualTo("INFO");
    assertThat(event.path("loggerName").asText()).isEqualTo("io.tms.agent.Agent");
    assertThat(event.path("formattedMessage").asText()).isEqualTo("site=HOU1 started");
    assertThat(event.has("message")).isFalse();
  }

  @Test
  void anXmlConfigurationWinsWhenThereIsOne() {
    System.setProperty("logback.configurationFile", "/etc/tms/logback.xml");
    try {
      LoggerContext context = new LoggerContext();
      LogSetup setup = new LogSetup(Map.of());
      setup.setContext(context);
      assertThat(setup.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
      assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC")).isNull();
    } finally {
      System.clearProperty("logback.configurationFile");
    }
  }

  @Test
  void anUnknownLevelFallsBackToInfo() {
    LoggerContext context = configured(Map.of("TMS_LOG_LEVEL", "loud"));
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
  }

  private static LoggerContext configured(Map<String, String> env) {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    LogSetup setup = new LogSetup(env);
    setup.setContext(context);
    assertThat(setup.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    return context;
  }

  @SuppressWarnings("unchecked")
  private static ConsoleAppender<LoggingEvent> consoleOf(LoggerContext context) {
    AsyncAppender async = (AsyncAppender) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC");
    assertThat(async.isNeverBlock()).isTrue();
    var console = async.iteratorForAppenders().next();
    assertThat(console).isInstanceOf(ConsoleAppender.class);
    return (ConsoleAppender<LoggingEvent>) (Object) console;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static String encode(LoggerContext context, String message) {
    ch.qos.logback.classic.Logger logger = context.getLogger("io.tms.agent.Agent");
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, message, null, null);
    event.setThreadName("main");
    Encoder encoder = consoleOf(context).getEncoder();
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }
}
