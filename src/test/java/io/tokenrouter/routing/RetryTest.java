package io.tokenrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.ScriptedUpstream;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the router retries one target and when it moves on: Retry-After, budgets, client departure, the client's own mistakes. */
@Timeout(30)
class RetryTest {
  private static final String HELLO = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private final ScriptedUpstream first = new ScriptedUpstream("first");
  private final ScriptedUpstream second = new ScriptedUpstream("second");
  private final ScriptedUpstream third = new ScriptedUpstream("third");
  private TestGateway gateway;
  private String key;

  private void start(String retry) {
    gateway = TestGateway.start("""
        usage: { flush_interval: 20ms }
        providers:
          - { name: first, type: openai, base_url: "%s", timeouts: { first_byte: 600ms } }
          - { name: second, type: openai, base_url: "%s" }
          - { name: third, type: openai, base_url: "%s" }
        models:
          - name: m
            targets:
              - { provider: first, model: m1 }
              - { provider: second, model: m2, priority: 1 }
              - { provider: third, model: m3, priority: 2 }
        routing:
          retry: %s
          affinity: { enabled: false }
        """.formatted(first.openAiUrl(), second.openAiUrl(), third.openAiUrl(), retry));
    key = gateway.createKey();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    first.close();
    second.close();
    third.close();
  }

  private static String answer(HttpResponse<String> response) {
    return new JsonObject(response.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
        .getString("content");
  }

  @Test
  void aShortRetryAfterIsWaitedOutOnTheSameTarget() {
    start("{ per_target: 2, max_retry_after: 5s }");
    first.then(ScriptedUpstream.status(429, "Retry-After", "1"));

    long started = System.nanoTime();
    HttpResponse<String> response = gateway.post("/v1/chat/completions", key, HELLO);
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(answer(response)).isEqualTo(first.text());
    assertThat(tookMs).isGreaterThanOrEqualTo(1_000);
    assertThat(first.received()).hasSize(2);
    assertThat(second.received()).isEmpty();
    JsonArray attempts = new JsonArray((String) gateway.awaitRecords(1).getFirst().get("attempts"));
    assertThat(attempts.getJsonObject(0).getInteger("status")).isEqualTo(429);
    assertThat(attempts.getJsonObject(1).getInteger("status")).isEqualTo(200);
  }

  @Test
  void aRetryAfterLongerThanTheCapMovesOnAtOnce() {
    start("{ per_target: 2, max_retry_after: 5s }");
    first.then(ScriptedUpstream.status(429, "Retry-After", "30"));

    long started = System.nanoTime();
    HttpResponse<String> response = gateway.post("/v1/chat/completions", key, HELLO);

    assertThat(answer(response)).isEqualTo(second.text());
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(1_000);
    assertThat(first.received()).hasSize(1);
  }

  @Test
  void retriesBackOffExponentiallyWithJitter() {
    start("{ per_target: 3, max_attempts: 5, backoff: 200ms, max_backoff: 1s }");
    first.always(ScriptedUpstream.status(500));

    long started = System.nanoTime();
    HttpResponse<String> response = gateway.post("/v1/chat/completions", key, HELLO);
    long tookMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(answer(response)).isEqualTo(second.text());
    assertThat(first.received()).hasSize(3);
    // pauses of 100-200 ms, then 200-400 ms (half the doubled backoff, plus jitter up to the other half)
    assertThat(tookMs).isBetween(300L, 2_000L);
  }

  @Test
  void retriesAndFallbacksAreCounted() {
    start("{ per_target: 2, backoff: 10ms }");
    first.always(ScriptedUpstream.status(500));

    gateway.post("/v1/chat/completions", key, HELLO);
    String metrics = gateway.get("/metrics", null).body();

    assertThat(metrics).contains("tokenrouter_retries_total{provider=\"first\",reason=\"upstream_status_500\"} 1.0")
        .contains("tokenrouter_fallbacks_total{from=\"first\",model=\"m\",to=\"second\"} 1.0");
  }

  @Test
  void theAttemptBudgetCoversAllTargets() {
    start("{ per_target: 2, max_attempts: 3, backoff: 10ms }");
    first.always(ScriptedUpstream.status(500));
    second.always(ScriptedUpstream.status(503));
    third.always(ScriptedUpstream.status(500));

    HttpResponse<String> response = gateway.post("/v1/chat/completions", key, HELLO);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(first.received().size() + second.received().size() + third.received().size()).isEqualTo(3);
    assertThat(third.received()).isEmpty();
  }

  @Test
  void noAttemptStartsAfterTheTimeBudget() {
    start("{ per_target: 2, max_attempts: 10, budget: 500ms }");
    first.always(ScriptedUpstream.hang());

    HttpResponse<String> response = gateway.post("/v1/chat/completions", key, HELLO);

    // the first attempt timed out at 600 ms, past the budget: neither a retry nor a fallback
    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(first.received()).hasSize(1);
    assertThat(second.received()).isEmpty();
  }

  @Test
  void theClientsOwnMistakeIsNeitherRetriedNorSentElsewhere() {
    start("{ per_target: 2 }");
    first.always(ScriptedUpstream.status(400));

    HttpResponse<String> response = gateway.post("/v1/chat/completions", key, HELLO);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(first.received()).hasSize(1);
    assertThat(second.received()).isEmpty();
  }

  @Test
  void aClientThatLeavesDuringABackoffStopsTheRetries() throws Exception {
    start("{ per_target: 3, backoff: 1500ms, max_backoff: 1500ms }");
    first.always(ScriptedUpstream.status(500));

    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      OutputStream out = client.getOutputStream();
      byte[] body = HELLO.getBytes(StandardCharsets.UTF_8);
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (first.received().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      InputStream unread = client.getInputStream();
      assertThat(unread.available()).isZero();
    }

    Map<String, Object> record = gateway.awaitRecords(1).getFirst();
    Thread.sleep(2_500);
    assertThat(((Number) record.get("status")).intValue()).isEqualTo(499);
    assertThat(first.received()).hasSize(1);
    assertThat(second.received()).isEmpty();
  }
}
