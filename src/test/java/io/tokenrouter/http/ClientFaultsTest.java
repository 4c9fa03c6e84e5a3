package io.tokenrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.tokenrouter.support.CapturedLogs;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client-fault log: one WARN per kind per interval, counting the ones it left out. */
class ClientFaultsTest {
  private final AtomicLong clock = new AtomicLong(1_000);
  private final ClientFaults faults = new ClientFaults(Duration.ofNanos(100), clock::get);
  private CapturedLogs logs;

  @BeforeEach
  void capture() {
    logs = CapturedLogs.capture();
  }

  @AfterEach
  void release() {
    logs.close();
  }

  private static Map<String, Object> fields(ILoggingEvent event) {
    return event.getKeyValuePairs().stream().collect(Collectors.toMap(kv -> kv.key, kv -> kv.value));
  }

  @Test
  void firstFaultOfAKindIsLoggedAtWarnWithoutStackTrace() {
    faults.report(ClientFaults.Kind.MALFORMED_URL, "127.0.0.1:5000", "/v1/%zz");

    assertThat(logs.at(Level.WARN)).singleElement().satisfies(e -> {
      assertThat(e.getFormattedMessage()).isEqualTo("client sent malformed_url: /v1/%zz");
      assertThat(e.getThrowableProxy()).isNull();
      assertThat(fields(e)).containsEntry("fault", "malformed_url").containsEntry("client", "127.0.0.1:5000")
          .containsEntry("suppressed", 0L);
    });
  }

  @Test
  void repeatsWithinTheIntervalAreCountedIntoTheNextLine() {
    for (int i = 0; i < 5; i++) {
      faults.report(ClientFaults.Kind.BODY_TIMEOUT, "c", "stalled");
    }
    clock.addAndGet(100);
    faults.report(ClientFaults.Kind.BODY_TIMEOUT, "c", "stalled");

    assertThat(logs.at(Level.WARN)).hasSize(2);
    assertThat(fields(logs.at(Level.WARN).get(1))).containsEntry("suppressed", 4L);
  }

  @Test
  void eachKindHasItsOwnInterval() {
    faults.report(ClientFaults.Kind.MALFORMED_URL, "c", "a");
    faults.report(ClientFaults.Kind.HEADER_TIMEOUT, "c", "b");

    assertThat(logs.at(Level.WARN)).hasSize(2);
  }

  @Test
  void clientTextIsShortenedAndStrippedOfControlCharacters() {
    faults.report(ClientFaults.Kind.MALFORMED_REQUEST, "c", "bad\r\nline\u0000" + "x".repeat(500));

    assertThat(logs.at(Level.WARN).getFirst().getFormattedMessage())
        .startsWith("client sent malformed_request: bad??line?xxx").endsWith("...").hasSizeLessThan(260);
  }
}
