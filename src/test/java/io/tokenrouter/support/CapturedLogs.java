package io.tokenrouter.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Every log event at WARN or above, from any logger, while open: attached to Logback's root
 * logger, synchronously, so an event is here by the time the call that logged it returns.
 */
public final class CapturedLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  private CapturedLogs() {}

  public static CapturedLogs capture() {
    CapturedLogs logs = new CapturedLogs();
    logs.setContext(logs.root.getLoggerContext());
    logs.start();
    logs.root.addAppender(logs);
    return logs;
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
      events.add(event);
    }
  }

  public List<ILoggingEvent> at(Level level) {
    return events.stream().filter(e -> e.getLevel() == level).toList();
  }

  /** "LEVEL logger: message" per event, for assertion messages. */
  public List<String> lines(Level level) {
    return at(level).stream().map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()
        + (e.getThrowableProxy() == null ? "" : " [" + e.getThrowableProxy().getClassName() + "]")).toList();
  }

  @Override
  public void close() {
    root.detachAppender(this);
    stop();
  }
}
