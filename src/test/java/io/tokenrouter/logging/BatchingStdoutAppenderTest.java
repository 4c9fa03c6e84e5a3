package io.tokenrouter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchingStdoutAppenderTest {
  private final LoggerContext context = new LoggerContext();
  private final Logger logger = context.getLogger("test");
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  BatchingStdoutAppenderTest() {
    context.setMDCAdapter(new LogbackMDCAdapter());
  }

  private BatchingStdoutAppender appender(int capacity, long lingerMillis) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%level %msg%n");
    encoder.start();
    BatchingStdoutAppender appender = new BatchingStdoutAppender(out);
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setCapacity(capacity);
    appender.setLingerMillis(lingerMillis);
    return appender;
  }

  private void log(BatchingStdoutAppender appender, String message, Object... args) {
    appender.doAppend(new LoggingEvent(Logger.class.getName(), logger, Level.INFO, message, null, args));
  }

  private List<String> lines() {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void everyLineQueuedBeforeStopIsWrittenInOrder() {
    BatchingStdoutAppender appender = appender(100_000, 60_000);
    appender.start();
    IntStream.range(0, 5000).forEach(i -> log(appender, "line {}", i));
    appender.stop();
    assertThat(lines()).hasSize(5000).startsWith("INFO line 0").endsWith("INFO line 4999");
  }

  @Test
  void linesAppearWithinTheLingerWithoutStopping() throws InterruptedException {
    BatchingStdoutAppender appender = appender(100, 5);
    appender.start();
    log(appender, "soon");
    for (int i = 0; i < 200 && lines().isEmpty(); i++) {
      Thread.sleep(10);
    }
    assertThat(lines()).containsExactly("INFO soon");
    appender.stop();
  }

  @Test
  void anIdleWriterSleepsUntilALineComesAndTheLineWakesIt() throws InterruptedException {
    BatchingStdoutAppender appender = appender(100, 1);
    appender.start();
    log(appender, "first");
    for (int i = 0; i < 500 && !appender.asleep(); i++) {
      Thread.sleep(10);
    }
    assertThat(appender.asleep()).as("asleep after %s empty wake-ups", BatchingStdoutAppender.IDLE_ROUNDS).isTrue();
    assertThat(lines()).containsExactly("INFO first");
    log(appender, "after a pause");
    for (int i = 0; i < 200 && lines().size() < 2; i++) {
      Thread.sleep(10);
    }
    assertThat(lines()).containsExactly("INFO first", "INFO after a pause");
    appender.stop();
  }

  @Test
  void stoppingWakesASleepingWriter() throws InterruptedException {
    BatchingStdoutAppender appender = appender(100, 1);
    appender.start();
    for (int i = 0; i < 500 && !appender.asleep(); i++) {
      Thread.sleep(10);
    }
    long start = System.nanoTime();
    appender.stop();
    assertThat(System.nanoTime() - start).as("stop must not wait out its 5 s join").isLessThan(4_000_000_000L);
  }

  @Test
  void linesPastTheCapacityAreDroppedAndCountedInAWarning() {
    BatchingStdoutAppender appender = appender(10, 60_000);
    appender.start();
    IntStream.range(0, 15).forEach(i -> log(appender, "line {}", i));
    appender.stop();
    assertThat(lines()).hasSize(11).startsWith("INFO line 0")
        .endsWith("WARN 5 log lines dropped: the log writer could not keep up with 10 queued lines");
  }

  @Test
  void whatIsQueuedIsWrittenAtTheJvmsExitWithoutStopping() {
    BatchingStdoutAppender appender = appender(100, 60_000);
    appender.start();
    log(appender, "last words");
    appender.writeQueued(); // what its shutdown hook runs
    assertThat(lines()).containsExactly("INFO last words");
    appender.stop();
  }
}
