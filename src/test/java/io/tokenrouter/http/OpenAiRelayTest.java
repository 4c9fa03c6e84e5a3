package io.tokenrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.support.FakeOpenAiServer;
import io.tokenrouter.support.SseClient;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible path end to end: a real gateway in front of a fake OpenAI upstream. */
class OpenAiRelayTest {
  private FakeOpenAiServer upstream;
  private TestGateway gateway;
  private String key;

  @BeforeEach
  void start() {
    upstream = new FakeOpenAiServer();
    gateway = TestGateway.start("""
        providers:
          - name: openai-main
            type: openai
            base_url: %s
            api_key: sk-provider-secret
            timeouts: { first_byte: 2s, idle: 1s }
        models:
          - name: gpt-4o-mini
            targets: [ { provider: openai-main, model: gpt-4o-mini-2024-07-18 } ]
        """.formatted(upstream.baseUrl()));
    key = gateway.createKey();
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.close();
  }

  private HttpRequest streamRequest(String body) {
    return HttpRequest.newBuilder(gateway.uri("/v1/chat/completions")).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  @Test
  void nonStreamReplyIsRelayedAsTheUpstreamWroteIt() {
    HttpResponse<String> r = gateway.post("/v1/chat/completions", key,
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(r.body()).isEqualTo(FakeOpenAiServer.completion("gpt-4o-mini-2024-07-18", "echo: hi").encode());
  }

  @Test
  void upstreamGetsTheProviderKeyTheTargetModelAndEveryUnknownField() {
    gateway.post("/v1/chat/completions", key, """
        {"model":"gpt-4o-mini","temperature":0.2,"x_custom":{"a":[1,2]},
         "messages":[{"role":"system","content":"be brief"},
                     {"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral"}}],"name":"bob"}]}
        """);

    FakeOpenAiServer.Received got = upstream.received().getFirst();
    assertThat(got.headers().get("Authorization")).isEqualTo("Bearer sk-provider-secret");
    assertThat(got.headers().values()).noneMatch(v -> v.contains(key));
    assertThat(got.body().getString("model")).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(got.body().getDouble("temperature")).isEqualTo(0.2);
    assertThat(got.body().getJsonObject("x_custom").encode()).isEqualTo("{\"a\":[1,2]}");
    JsonObject user = got.body().getJsonArray("messages").getJsonObject(1);
    assertThat(user.getString("name")).isEqualTo("bob");
    assertThat(user.getJsonArray("content").getJsonObject(0).encode())
        .isEqualTo("{\"type\":\"text\",\"text\":\"hi\",\"cache_control\":{\"type\":\"ephemeral\"}}");
  }

  @Test
  void nonStreamUsageIsRecordedWithCachedTokens() {
    gateway.post("/v1/chat/completions", key, "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    Map<String, Object> row = gateway.awaitRecords(1).getFirst();
    assertThat(row).containsEntry("model", "gpt-4o-mini").containsEntry("provider", "openai-main")
        .containsEntry("upstream_model", "gpt-4o-mini-2024-07-18").containsEntry("stream", false)
        .containsEntry("prompt_tokens", 11).containsEntry("completion_tokens", 7)
        .containsEntry("cache_read_tokens", 3).containsEntry("usage_estimated", false);
    assertThat(((Number) row.get("status")).intValue()).isEqualTo(200);
  }

  @Test
  void streamAsksUpstreamForUsageButHidesItFromAClientThatDidNot() throws Exception {
    List<String> events;
    try (SseClient sse = new SseClient(gateway.http(), streamRequest(
        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}"))) {
      assertThat(sse.response().headers().firstValue("content-type")).hasValueSatisfying(
          v -> assertThat(v).startsWith("text/event-stream"));
      events = sse.rest();
    }

    assertThat(upstream.received().getFirst().body().getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
    assertThat(events.getLast()).isEqualTo("[DONE]");
    assertThat(events).noneMatch(e -> e.contains("usage"));
    assertThat(SseClient.text(events)).isEqualTo("echo: one two three");
    Map<String, Object> row = gateway.awaitRecords(1).getFirst();
    assertThat(row).containsEntry("prompt_tokens", 11).containsEntry("completion_tokens", 4)
        .containsEntry("usage_estimated", false).containsEntry("stream", true);
    assertThat(row.get("ttft_ms")).isNotNull();
  }

  @Test
  void streamKeepsTheUsageChunkForAClientThatAskedForIt() throws Exception {
    List<String> events;
    try (SseClient sse = new SseClient(gateway.http(), streamRequest("{\"model\":\"gpt-4o-mini\",\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"a b\"}]}"))) {
      events = sse.rest();
    }

    JsonObject usageChunk = new JsonObject(events.get(events.size() - 2));
    assertThat(usageChunk.getJsonArray("choices")).isEmpty();
    assertThat(usageChunk.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(3);
    assertThat(events.subList(0, events.size() - 2)).allMatch(e -> e.contains("\"usage\":null"));
  }

  @Test
  void eachStreamEventReachesTheClientBeforeTheUpstreamSendsTheNext() throws Exception {
    CountDownLatch clientSawFirst = new CountDownLatch(1);
    upstream.reply((req, res) -> {
      res.setChunked(true).putHeader("content-type", "text/event-stream");
      res.write(FakeOpenAiServer.chunk(req, new JsonObject().put("content", "first"), null));
      Thread.ofVirtual().start(() -> {
        try {
          boolean released = clientSawFirst.await(10, TimeUnit.SECONDS);
          upstream.vertx().runOnContext(v -> {
            res.write(FakeOpenAiServer.chunk(req, new JsonObject().put("content", released ? " second" : " late"), "stop"));
            res.end("data: [DONE]\n\n");
          });
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    });

    try (SseClient sse = new SseClient(gateway.http(), streamRequest(
        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))) {
      assertThat(sse.next()).contains("\"first\"");
      clientSawFirst.countDown();
      assertThat(SseClient.text(sse.rest())).isEqualTo(" second");
    }
  }

  @Test
  void clientThatAbortsHalfwayCancelsTheUpstream() throws Exception {
    upstream.reply((req, res) -> FakeOpenAiServer.streamWords(req, res, "w ".repeat(200), 20));

    try (SseClient sse = new SseClient(gateway.http(), streamRequest(
        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))) {
      for (int i = 0; i < 5; i++) {
        assertThat(sse.next()).isNotNull();
      }
    }

    assertThat(upstream.awaitConnectionClosed(5)).as("upstream connection closed").isTrue();
    Map<String, Object> row = gateway.awaitRecords(1).getFirst();
    assertThat(((Number) row.get("status")).intValue()).isEqualTo(499);
    assertThat(row).containsEntry("usage_estimated", true);
    assertThat(((Number) row.get("completion_tokens")).intValue()).isPositive();
  }

  @Test
  void upstreamThatDiesMidStreamEndsTheClientStreamWithAnErrorEvent() throws Exception {
    upstream.reply((req, res) -> {
      res.setChunked(true).putHeader("content-type", "text/event-stream");
      res.write(FakeOpenAiServer.chunk(req, new JsonObject().put("content", "partial"), null));
      upstream.vertx().setTimer(50, t -> res.reset());
    });

    List<String> events;
    try (SseClient sse = new SseClient(gateway.http(), streamRequest(
        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))) {
      assertThat(sse.response().statusCode()).isEqualTo(200);
      events = sse.rest();
    }

    assertThat(events.getFirst()).contains("partial");
    assertThat(new JsonObject(events.get(events.size() - 2)).getJsonObject("error").getString("type"))
        .isEqualTo("upstream_error");
    assertThat(events.getLast()).isEqualTo("[DONE]");
    assertThat(((Number) gateway.awaitRecords(1).getFirst().get("status")).intValue()).isEqualTo(502);
  }

  @Test
  void errorEventFromTheUpstreamBecomesAnErrorEventForTheClient() throws Exception {
    upstream.reply((req, res) -> {
      res.setChunked(true).putHeader("content-type", "text/event-stream");
      res.write(FakeOpenAiServer.chunk(req, new JsonObject().put("content", "a"), null));
      res.end("data: {\"error\":{\"message\":\"model overloaded\",\"type\":\"server_error\"}}\n\n");
    });

    List<String> events;
    try (SseClient sse = new SseClient(gateway.http(), streamRequest(
        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))) {
      events = sse.rest();
    }

    assertThat(events.get(events.size() - 2)).contains("model overloaded");
    assertThat(events.getLast()).isEqualTo("[DONE]");
  }

  @Test
  void upstreamSilentMidStreamTimesOutWithAnErrorEvent() throws Exception {
    upstream.reply((req, res) -> {
      res.setChunked(true).putHeader("content-type", "text/event-stream");
      res.write(FakeOpenAiServer.chunk(req, new JsonObject().put("content", "a"), null));
    });

    List<String> events;
    try (SseClient sse = new SseClient(gateway.http(), streamRequest(
        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))) {
      events = sse.rest();
    }

    assertThat(new JsonObject(events.get(events.size() - 2)).getJsonObject("error").getString("code"))
        .isEqualTo("upstream_timeout");
    assertThat(((Number) gateway.awaitRecords(1).getFirst().get("status")).intValue()).isEqualTo(504);
  }

  @Test
  void upstreamWithoutAResponseHeadIsA504() {
    upstream.reply((req, res) -> { });

    HttpResponse<String> r = gateway.post("/v1/chat/completions", key,
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code")).isEqualTo("upstream_timeout");
  }

  @Test
  void upstreamThatIsDownIsA502() {
    upstream.close();

    HttpResponse<String> r = gateway.post("/v1/chat/completions", key,
        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code")).isEqualTo("upstream_unreachable");
  }

  @Test
  void upstreamClientErrorKeepsItsStatusAndMessage() {
    upstream.reply((req, res) -> res.setStatusCode(400).putHeader("content-type", "application/json")
        .end("{\"error\":{\"message\":\"context_length_exceeded: too long\",\"type\":\"invalid_request_error\"}}"));

    HttpResponse<String> r = gateway.post("/v1/chat/completions", key,
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("message")).contains("context_length_exceeded");
  }

  @Test
  void upstreamRefusingTheProviderKeyIsA502NotA401() {
    upstream.reply((req, res) -> res.setStatusCode(401).end("{\"error\":{\"message\":\"bad key\"}}"));

    HttpResponse<String> r = gateway.post("/v1/chat/completions", key,
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.body()).doesNotContain("sk-provider-secret");
  }

  @Test
  void upstreamRateLimitIsA429WithRetryAfter() {
    upstream.reply((req, res) -> res.setStatusCode(429).end("{\"error\":{\"message\":\"slow down\"}}"));

    HttpResponse<String> r = gateway.post("/v1/chat/completions", key,
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).isPresent();
  }

  @Test
  void hundredConcurrentStreamsAllFinishWithTheirOwnText() throws Exception {
    upstream.reply((req, res) -> {
      String last = req.getJsonArray("messages").getJsonObject(0).getString("content");
      FakeOpenAiServer.streamWords(req, res, "reply to " + last + " done", 5);
    });
    // Default timeouts: this test is about isolation under concurrency, not about the tight
    // timeouts the other tests in this class use.
    try (TestGateway roomy = TestGateway.start("""
        providers: [ { name: openai-main, type: openai, base_url: "%s", api_key: sk-provider-secret } ]
        models: [ { name: gpt-4o-mini, targets: [ { provider: openai-main, model: gpt-4o-mini } ] } ]
        """.formatted(upstream.baseUrl()))) {
      String roomyKey = roomy.createKey();
      ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
      List<Future<String>> texts = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"n" + i
            + "\"}]}";
        HttpRequest request = HttpRequest.newBuilder(roomy.uri("/v1/chat/completions")).timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + roomyKey).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        texts.add(pool.submit(() -> {
          try (SseClient sse = new SseClient(roomy.http(), request)) {
            return sse.response().statusCode() + " " + SseClient.text(sse.rest());
          }
        }));
      }

      for (int i = 0; i < 100; i++) {
        assertThat(texts.get(i).get(60, TimeUnit.SECONDS)).isEqualTo("200 reply to n" + i + " done");
      }
      pool.shutdown();
      assertThat(roomy.awaitRecords(100)).hasSize(100)
          .allSatisfy(row -> assertThat(((Number) row.get("status")).intValue()).isEqualTo(200));
    }
  }
}
