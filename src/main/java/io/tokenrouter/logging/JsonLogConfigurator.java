package io.tokenrouter.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;

/**
 * The gateway's logging: one JSON object per line on standard output, written in batches by
 * {@link BatchingStdoutAppender}, at the level {@code TOKENROUTER_LOG_LEVEL} names (INFO when
 * unset), with the libraries' chatter at WARN. Set up in code, found by Logback through the
 * service loader: Logback's XML configuration set every property by reflection, a tenth of a
 * second of each start's main thread. A file named by {@code -Dlogback.configurationFile} still
 * wins; this configurator then steps aside.
 */
public final class JsonLogConfigurator extends ContextAwareBase implements Configurator {
  static final String LEVEL_VARIABLE = "TOKENROUTER_LOG_LEVEL";
  private static final List<String> QUIET = List.of("com.zaxxer.hikari", "org.flywaydb", "io.netty", "io.vertx");

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    LogstashFieldNames names = new LogstashFieldNames();
    names.setLevelValue("[ignore]");
    names.setVersion("[ignore]");
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.setFieldNames(names);
    encoder.start();
    BatchingStdoutAppender appender = new BatchingStdoutAppender();
    appender.setContext(context);
    appender.setName("JSON");
    appender.setEncoder(encoder);
    appender.start();
    for (String library : QUIET) {
      context.getLogger(library).setLevel(Level.WARN);
    }
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level(System.getProperty(LEVEL_VARIABLE, System.getenv(LEVEL_VARIABLE))));
    root.addAppender(appender);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  static Level level(String name) {
    return name == null || name.isBlank() ? Level.INFO : Level.toLevel(name.strip(), Level.INFO);
  }
}
