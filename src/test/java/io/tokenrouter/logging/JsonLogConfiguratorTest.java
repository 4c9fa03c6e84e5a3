package io.tokenrouter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class JsonLogConfiguratorTest {
  @Test
  void logbackFindsItThroughTheServiceLoader() {
    assertThat(ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
        .map(ServiceLoader.Provider::type)).contains(JsonLogConfigurator.class);
  }

  @Test
  void rootWritesJsonLinesThroughTheBatchingAppenderAndLibrariesOnlyWarn() {
    LoggerContext context = new LoggerContext();
    try {
      JsonLogConfigurator configurator = new JsonLogConfigurator();
      configurator.setContext(context);

      assertThat(configurator.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
      Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
      assertThat(root.getAppender("JSON")).isInstanceOf(BatchingStdoutAppender.class);
      assertThat(root.getAppender("JSON").isStarted()).isTrue();
      assertThat(context.getLogger("io.netty.channel").getEffectiveLevel()).isEqualTo(Level.WARN);
      assertThat(context.getLogger("org.flywaydb.core").getEffectiveLevel()).isEqualTo(Level.WARN);
      assertThat(context.getLogger("tokenrouter.access").getEffectiveLevel()).isEqualTo(
          JsonLogConfigurator.level(System.getenv(JsonLogConfigurator.LEVEL_VARIABLE)));
    } finally {
      context.stop();
    }
  }

  @Test
  void theLevelIsReadAsLogbackWouldReadItAndIsInfoWhenUnsetOrUnknown() {
    assertThat(JsonLogConfigurator.level("debug")).isEqualTo(Level.DEBUG);
    assertThat(JsonLogConfigurator.level(" WARN ")).isEqualTo(Level.WARN);
    assertThat(JsonLogConfigurator.level(null)).isEqualTo(Level.INFO);
    assertThat(JsonLogConfigurator.level("")).isEqualTo(Level.INFO);
    assertThat(JsonLogConfigurator.level("verbose")).isEqualTo(Level.INFO);
  }

  @Test
  void aLogbackFileNamedOnTheCommandLineWins() {
    LoggerContext context = new LoggerContext();
    String before = System.getProperty("logback.configurationFile");
    System.setProperty("logback.configurationFile", "/etc/tokenrouter/logback.xml");
    try {
      assertThat(new JsonLogConfigurator().configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
      assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
    } finally {
      if (before == null) {
        System.clearProperty("logback.configurationFile");
      } else {
        System.setProperty("logback.configurationFile", before);
      }
      context.stop();
    }
  }
}
