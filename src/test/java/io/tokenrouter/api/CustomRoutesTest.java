package io.tokenrouter.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.caller.Limits;
import io.tokenrouter.support.FakeUpstream;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.buffer.Buffer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Custom routes (seed 003): a text-to-speech route relaying audio and an event-stream route,
 * each to a local upstream, the provider's credential injected and the client's key never
 * forwarded, the bytes flowing as they come, under keys, allowlists and usage records.
 */
@Timeout(30)
class CustomRoutesTest {
  private static final byte[] AUDIO = new byte[300_000];
  private static FakeUpstream upstream;
  private static TestGateway gateway;
  private static String key;
  /** Released by a test once it has read the first piece of an answer; the upstream then sends the rest. */
  private static volatile CountDownLatch firstPieceRead = new CountDownLatch(0);

  @BeforeAll
  static void start() {
    new Random(7).nextBytes(AUDIO);
    upstream = new FakeUpstream();
    upstream.reply((r, response) -> {
      if (r.uri().startsWith("/v1/audio/speech")) {
        response.setChunked(true).putHeader("content-type", "audio/mpeg");
        response.write(Buffer.buffer(Arrays.copyOfRange(AUDIO, 0, 1000)));
        awaitThenSend(() -> {
          response.write(Buffer.buffer(Arrays.copyOfRange(AUDIO, 1000, AUDIO.length)));
          response.end();
        });
      } else if (r.uri().startsWith("/v1/realtime/events")) {
        response.setChunked(true).putHeader("content-type", "text/event-stream");
        response.write("event: first\ndata: {\"n\":1}\n\n");
        awaitThenSend(() -> response.end("event: second\ndata: {\"n\":2}\n\n"));
      } else if (r.uri().startsWith("/v1/audio/transcriptions")) {
        response.putHeader("content-type", "application/json").end("{\"bytes\":" + r.body().length() + "}");
      } else if (r.uri().startsWith("/voices")) {
        response.putHeader("content-type", "application/json").end("{\"voices\":[\"alloy\"]}");
      } else {
        response.putHeader("content-type", "application/json").end("<html>not json</html>");
      }
    });
    gateway = TestGateway.start("""
        server: { max_body_bytes: 65536 }
        providers:
          - { name: openai, type: openai, base_url: "%s/v1", api_key: sk-upstream }
          - { name: voices, type: openai, base_url: "%s", api_key: xi-secret }
        models:
          - { name: gpt-4o, targets: [ { provider: openai, model: gpt-4o } ] }
        routes:
          - { name: tts, path: /v1/audio/speech, provider: openai, upstream_path: /audio/speech, kind: binary }
          - { name: stt, path: /v1/audio/transcriptions, provider: openai, upstream_path: /audio/transcriptions, kind: json }
          - { name: events, path: /v1/realtime/events, provider: openai, upstream_path: /realtime/events, kind: sse }
          - { name: voices, path: /voices, provider: voices, kind: json, credential_header: xi-api-key }
          - { name: broken, path: /broken, provider: voices, kind: json }
        """.formatted(upstream.baseUrl(), upstream.baseUrl()));
    key = gateway.createKey();
  }

  private static void awaitThenSend(Runnable rest) {
    CountDownLatch latch = firstPieceRead;
    Thread.ofVirtual().start(() -> {
      try {
        latch.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      rest.run();
    });
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private static HttpRequest.Builder request(String path, String key) {
    return HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + key);
  }

  @Test
  void audioFlowsThroughAsItComesWithTheProvidersCredential() throws Exception {
    firstPieceRead = new CountDownLatch(1);
    String body = "{\"model\":\"tts-1\",\"input\":\"Hello\",\"voice\":\"alloy\"}";
    HttpResponse<InputStream> response = gateway.http().send(request("/v1/audio/speech?format=mp3", key)
        .header("Content-Type", "application/json").header("OpenAI-Beta", "tts=v1")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("audio/mpeg");
    try (InputStream in = response.body()) {
      byte[] first = in.readNBytes(1000);
      assertThat(first).isEqualTo(Arrays.copyOfRange(AUDIO, 0, 1000));
      firstPieceRead.countDown();
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(AUDIO, 1000, AUDIO.length));
    }

    FakeUpstream.Received sent = upstream.last();
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.uri()).isEqualTo("/v1/audio/speech?format=mp3");
    assertThat(sent.text()).isEqualTo(body);
    assertThat(sent.headers().get("authorization")).isEqualTo("Bearer sk-upstream");
    assertThat(sent.headers().get("openai-beta")).isEqualTo("tts=v1");
    sent.headers().forEach(h -> assertThat(h.getValue()).doesNotContain(key));
  }

  @Test
  void anUploadStreamsToTheProviderPastTheBodyLimitOfTheModelApis() {
    String own = gateway.createKey();
    byte[] upload = new byte[1_000_000];
    new Random(11).nextBytes(upload);

    HttpResponse<String> response = gateway.send(request("/v1/audio/transcriptions", own)
        .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(upload))
        .build());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"bytes\":1000000}");
    assertThat(upstream.last().body().getBytes()).isEqualTo(upload);
    assertThat(upstream.last().headers().get("content-length")).isEqualTo("1000000");
    Map<String, Object> record = gateway.awaitRecordsOf(gateway.keyId(own), 1).getFirst();
    assertThat(record.get("request_bytes")).isEqualTo(1_000_000L);
    assertThat(gateway.post("/v1/chat/completions", own, "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"" + "x".repeat(70_000) + "\"}]}").statusCode()).isEqualTo(413);
  }

  @Test
  void aRefusedUploadIsAnsweredWithoutReadingIt() {
    String chatOnly = gateway.createKey("gpt-4o");

    HttpResponse<String> refused = gateway.send(request("/v1/audio/transcriptions", chatOnly)
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[500_000])).build());

    assertThat(refused.statusCode()).isEqualTo(403);
  }

  @Test
  void eventStreamIsRelayedEventByEvent() throws Exception {
    firstPieceRead = new CountDownLatch(1);
    HttpResponse<InputStream> response = gateway.http().send(request("/api/v1/realtime/events", key).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
    try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      assertThat(List.of(in.readLine(), in.readLine(), in.readLine()))
          .containsExactly("event: first", "data: {\"n\":1}", "");
      firstPieceRead.countDown();
      assertThat(List.of(in.readLine(), in.readLine())).containsExactly("event: second", "data: {\"n\":2}");
    }
    FakeUpstream.Received sent = upstream.last();
    assertThat(sent.uri()).isEqualTo("/v1/realtime/events");
    assertThat(sent.method()).isEqualTo("GET");
    assertThat(sent.headers().get("authorization")).isEqualTo("Bearer sk-upstream");
    sent.headers().forEach(h -> assertThat(h.getValue()).doesNotContain(key));
  }

  @Test
  void aRouteMayNameItsOwnCredentialHeader() {
    HttpResponse<String> response = gateway.send(request("/voices/list", key).GET().build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"voices\":[\"alloy\"]}");
    FakeUpstream.Received sent = upstream.last();
    assertThat(sent.uri()).isEqualTo("/voices/list");
    assertThat(sent.headers().get("xi-api-key")).isEqualTo("xi-secret");
    assertThat(sent.headers().contains("authorization")).isFalse();
  }

  @Test
  void aJsonRouteWhoseProviderAnswersSomethingElseIsABadGateway() {
    HttpResponse<String> response = gateway.send(request("/broken", key).GET().build());

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("upstream_bad_response");
  }

  @Test
  void routesNeedAKeyAndFollowItsAllowlist() {
    assertThat(gateway.send(HttpRequest.newBuilder(gateway.uri("/voices")).GET().build()).statusCode())
        .isEqualTo(401);
    String chatOnly = gateway.createKey("gpt-4o");

    HttpResponse<String> refused = gateway.send(request("/voices", chatOnly).GET().build());

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("model_not_allowed");
  }

  @Test
  void routesAreRateLimitedLikeEveryApi() {
    String limited = gateway.createKey(null, new Limits(1, null, null, null, null, null, null, null));

    assertThat(gateway.send(request("/voices", limited).GET().build()).statusCode()).isEqualTo(200);
    HttpResponse<String> second = gateway.send(request("/voices", limited).GET().build());

    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.headers().firstValue("retry-after")).isPresent();
  }

  @Test
  void eachRelayedRequestIsRecordedWithItsBytes() {
    String own = gateway.createKey();
    String body = "{\"q\":\"abc\"}";
    HttpResponse<String> response = gateway.send(request("/voices", own).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    assertThat(response.statusCode()).isEqualTo(200);

    Map<String, Object> record = gateway.awaitRecordsOf(gateway.keyId(own), 1).getFirst();
    assertThat(record.get("model")).isEqualTo("voices");
    assertThat(record.get("provider")).isEqualTo("voices");
    assertThat(record.get("status")).isEqualTo(200);
    assertThat(record.get("request_bytes")).isEqualTo((long) body.length());
    assertThat(record.get("response_bytes")).isEqualTo((long) "{\"voices\":[\"alloy\"]}".length());
  }
}
