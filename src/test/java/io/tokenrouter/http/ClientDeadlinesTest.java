package io.tokenrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.tokenrouter.support.CapturedLogs;
import io.tokenrouter.support.FakeOpenAiServer;
import io.tokenrouter.support.RawHttp;
import io.tokenrouter.support.SseClient;
import io.tokenrouter.support.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deadlines on the client's side of a connection, with short timeouts: a head or body that stops
 * coming ends the connection (with 408 where an answer can still be written), an idle kept-alive
 * connection closes, and none of them cuts an answer the gateway is still giving.
 */
class ClientDeadlinesTest {
  private static final Duration HEADER = Duration.ofMillis(600);
  private static final Duration BODY = Duration.ofMillis(600);
  private static final Duration IDLE = Duration.ofMillis(900);
  /** The longest a deadline may overrun on a loaded two-core machine. */
  private static final Duration SLACK = Duration.ofSeconds(3);
  private FakeOpenAiServer upstream;
  private CapturedLogs logs;
  private TestGateway gateway;
  private String key;

  @BeforeEach
  void start() {
    upstream = new FakeOpenAiServer();
    logs = CapturedLogs.capture();
    gateway = TestGateway.start("""
        server: { header_timeout: %dms, body_timeout: %dms, idle_timeout: %dms }
        providers:
          - { name: up, type: openai, base_url: %s, api_key: sk-up, timeouts: { first_byte: 10s, idle: 10s } }
        models: [ { name: gpt-4o-mini, targets: [ { provider: up, model: gpt-4o-mini } ] } ]
        """.formatted(HEADER.toMillis(), BODY.toMillis(), IDLE.toMillis(), upstream.baseUrl()));
    key = gateway.createKey();
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.close();
    assertThat(logs.lines(Level.ERROR)).isEmpty();
    logs.close();
  }

  private static long since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
  }

  @Test
  void requestLineThatNeverEndsGets408() {
    try (RawHttp raw = RawHttp.connect(gateway.port())) {
      long start = System.nanoTime();
      RawHttp.Response r = raw.send("GET /hea").read(HEADER.plus(SLACK));

      assertThat(r.status()).isEqualTo(408);
      assertThat(EdgeErrorsTest.openAiError(r).getString("code")).isEqualTo("request_timeout");
      assertThat(since(start)).isGreaterThanOrEqualTo(HEADER.toMillis());
      assertThat(raw.closedWithin(SLACK)).isTrue();
    }
  }

  @Test
  void finishedRequestLineWithoutTheEndOfHeadersGets408() {
    try (RawHttp raw = RawHttp.connect(gateway.port())) {
      RawHttp.Response r = raw.send("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\n").read(HEADER.plus(SLACK));

      assertThat(r.status()).isEqualTo(408);
      assertThat(EdgeErrorsTest.openAiError(r).getString("message"))
          .isEqualTo("The request line and headers did not arrive within 600ms.");
      assertThat(raw.closedWithin(SLACK)).isTrue();
    }
  }

  @Test
  void slowlorisHeadersAreCutAtTheHeaderTimeoutHoweverOftenTheyTrickle() throws Exception {
    try (RawHttp raw = RawHttp.connect(gateway.port())) {
      long start = System.nanoTime();
      raw.send("GET /health HTTP/1.1\r\nHost: gw\r\n");
      for (int i = 0; i < 30 && since(start) < HEADER.toMillis() * 3; i++) {
        raw.sendQuietly(("X-Slow-" + i + ": y\r\n").getBytes());
        Thread.sleep(100);
      }

      assertThat(raw.closedWithin(SLACK)).isTrue();
      assertThat(since(start)).isLessThan(HEADER.plus(SLACK).toMillis());
      assertThat(logs.lines(Level.WARN)).anyMatch(l -> l.contains("header_timeout"));
    }
  }

  @Test
  void connectionThatSendsNothingIsClosedSilently() {
    try (RawHttp raw = RawHttp.connect(gateway.port())) {
      assertThat(raw.closedWithin(HEADER.plus(SLACK))).isTrue();
      assertThat(logs.lines(Level.WARN)).isEmpty();
    }
  }

  @Test
  void stalledBodyGets408() {
    try (RawHttp raw = RawHttp.connect(gateway.port())) {
      long start = System.nanoTime();
      RawHttp.Response r = raw.send("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + key
          + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"model\":").read(BODY.plus(SLACK));

      assertThat(r.status()).isEqualTo(408);
      assertThat(EdgeErrorsTest.openAiError(r).getString("message"))
          .isEqualTo("The request body stalled: no bytes arrived for 600ms.");
      assertThat(since(start)).isGreaterThanOrEqualTo(BODY.toMillis());
      assertThat(raw.closedWithin(SLACK)).isTrue();
      assertThat(upstream.received()).isEmpty();
    }
  }

  @Test
  void bodyThatKeepsComingIsNotCut() throws Exception {
    String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"slow\"}]}";
    try (RawHttp raw = RawHttp.connect(gateway.port())) {
      raw.send("POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer " + key
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n");
      int step = 8;
      for (int i = 0; i < body.length(); i += step) {
        Thread.sleep(BODY.toMillis() / 3);
        raw.send(body.substring(i, Math.min(body.length(), i + step)));
      }

      assertThat(raw.read(SLACK).status()).isEqualTo(200);
    }
  }

  @Test
  void keptAliveConnectionClosesAfterTheIdleTimeout() {
    try (RawHttp raw = RawHttp.connect(gateway.port())) {
      assertThat(raw.send("GET /health HTTP/1.1\r\nHost: gw\r\n\r\n").read(SLACK).status()).isEqualTo(200);
      long answered = System.nanoTime();

      assertThat(raw.closedWithin(IDLE.plus(SLACK))).isTrue();
      assertThat(since(answered)).isGreaterThanOrEqualTo(IDLE.toMillis() - 50);
    }
  }

  @Test
  void keptAliveConnectionServesTheNextRequestWithinTheIdleTimeout() throws Exception {
    try (RawHttp raw = RawHttp.connect(gateway.port())) {
      assertThat(raw.send("GET /health HTTP/1.1\r\nHost: gw\r\n\r\n").read(SLACK).status()).isEqualTo(200);
      Thread.sleep(IDLE.toMillis() / 2);

      assertThat(raw.send("GET /health HTTP/1.1\r\nHost: gw\r\n\r\n").read(SLACK).status()).isEqualTo(200);
    }
  }

  @Test
  void streamWithPausesLongerThanEveryTimeoutIsNotCut() throws Exception {
    long pause = IDLE.toMillis() + 300;
    upstream.reply((req, resp) -> FakeOpenAiServer.streamWords(req, resp, "one two three", pause));
    HttpRequest request = HttpRequest.newBuilder(gateway.uri("/v1/chat/completions")).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .build();

    try (SseClient sse = new SseClient(gateway.http(), request)) {
      List<String> events = sse.rest();

      assertThat(SseClient.text(events)).isEqualTo("one two three");
      assertThat(events.getLast()).isEqualTo("[DONE]");
    }
  }

  @Test
  void slowUpstreamAnswerIsNotCut() {
    upstream.reply((req, resp) -> upstream.vertx().setTimer(IDLE.toMillis() + BODY.toMillis(),
        t -> FakeOpenAiServer.echo(req, resp)));

    HttpResponse<String> r = gateway.post("/v1/chat/completions", key,
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"wait\"}]}");

    assertThat(r.statusCode()).isEqualTo(200);
  }
}
