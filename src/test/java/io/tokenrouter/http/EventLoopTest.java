package io.tokenrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.caller.Limits;
import io.tokenrouter.support.FakeOpenAiServer;
import io.tokenrouter.support.SseClient;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Large prompts are counted off the event loop. A prompt of 200 KB without spaces takes the
 * tokenizer over a second (byte-pair merging of one huge word), so had it been counted on the
 * gateway's only event loop, a small request arriving meanwhile would wait for it. Asserted by
 * order of completion, not by tight timings.
 */
@Timeout(120)
class EventLoopTest {
  /** One "word" of 400 KB: slow to tokenize, hundreds of milliseconds per count on a fast core. */
  private static final String HUGE = "a".repeat(400_000);
  private static FakeOpenAiServer upstream;
  private static TestGateway gateway;
  private static String free;

  @BeforeAll
  static void start() {
    upstream = new FakeOpenAiServer();
    upstream.reply((request, response) -> {
      response.setChunked(true).putHeader("content-type", "text/event-stream");
      for (String word : "Hello there my dear friend, here are many more words".split("(?<= )")) {
        response.write(FakeOpenAiServer.chunk(request, new JsonObject().put("content", word), null));
      }
      // usage only at the end, as OpenAI sends it: the gateway has no prompt count when it cuts
      response.write(FakeOpenAiServer.chunk(request, new JsonObject(), "stop"));
      response.write("data: " + new JsonObject().put("id", "x").put("object", "chat.completion.chunk")
          .put("choices", new JsonArray()).put("usage", FakeOpenAiServer.usage(50_000, 11, 0)).encode() + "\n\n");
      response.end("data: [DONE]\n\n");
    });
    gateway = TestGateway.start("""
        server: { event_loops: 1, max_body_bytes: 1000000 }
        providers:
          - { name: mock, type: mock, mock: { chunk_delay: 1ms } }
          - { name: oai, type: openai, base_url: "%s", api_key: sk-oai }
        models:
          - { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] }
          - { name: up, targets: [ { provider: oai, model: up-model } ] }
        """.formatted(upstream.baseUrl()));
    free = gateway.createKey();
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

  private static HttpRequest request(String path, String key, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(60))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    return path.contains("messages") ? b.header("x-api-key", key).build()
        : b.header("Authorization", "Bearer " + key).build();
  }

  private static String chat(String model, String content, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
        + content + "\"}]}";
  }

  private static String messages(String content) {
    return "{\"model\":\"mock-chat\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"" + content
        + "\"}]}";
  }

  @Test
  void hugePromptsMeetingTheInputCapDoNotHoldUpOtherRequests() throws Exception {
    String capped = gateway.createKey(null, new Limits(null, null, null, null, 100, null, null, null));
    // warm the key cache, so the large requests go straight to counting
    assertThat(gateway.send(request("/v1/chat/completions", capped, chat("mock-chat", "hi", false))).statusCode())
        .isEqualTo(200);
    assertThat(gateway.send(request("/v1/messages", free, messages("hi"))).statusCode()).isEqualTo(200);

    List<CompletableFuture<HttpResponse<String>>> large = new ArrayList<>();
    AtomicLong firstLargeDone = new AtomicLong(Long.MAX_VALUE);
    for (int i = 0; i < 4; i++) {
      HttpRequest r = i % 2 == 0 ? request("/v1/chat/completions", capped, chat("mock-chat", HUGE, false))
          : request("/v1/messages", capped, messages(HUGE));
      large.add(gateway.http().sendAsync(r, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, err) ->
          firstLargeDone.accumulateAndGet(System.nanoTime(), Math::min)));
    }
    Thread.sleep(100); // the large bodies are up and being counted

    HttpResponse<String> small = gateway.send(request("/v1/chat/completions", free, chat("mock-chat", "hi", false)));
    HttpResponse<String> smallMessages = gateway.send(request("/v1/messages", free, messages("hi")));
    long smallDone = System.nanoTime();

    assertThat(small.statusCode()).isEqualTo(200);
    assertThat(smallMessages.statusCode()).isEqualTo(200);
    for (CompletableFuture<HttpResponse<String>> f : large) {
      HttpResponse<String> refused = f.get(60, TimeUnit.SECONDS);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
      assertThat(refused.body()).contains("100");
    }
    assertThat(smallDone).as("the small requests were answered while the large prompts were being counted")
        .isLessThan(firstLargeDone.get());
  }

  @Test
  void aCappedStreamCountsItsHugePromptOffTheLoop() throws Exception {
    String capped = gateway.createKey(null, new Limits(null, null, null, null, null, 2, null, null));
    CountDownLatch firstEvent = new CountDownLatch(1);
    AtomicLong bigDone = new AtomicLong();
    List<String> events = new ArrayList<>();
    CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
      try (SseClient big = new SseClient(gateway.http(),
          request("/v1/chat/completions", capped, chat("up", HUGE, true)))) {
        String e = big.next();
        events.add(e);
        firstEvent.countDown();
        events.addAll(big.rest());
        bigDone.set(System.nanoTime());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(firstEvent.await(60, TimeUnit.SECONDS)).isTrue();

    HttpResponse<String> small = gateway.send(request("/v1/chat/completions", free, chat("mock-chat", "hi", false)));
    long smallDone = System.nanoTime();
    reader.get(60, TimeUnit.SECONDS);

    assertThat(small.statusCode()).isEqualTo(200);
    assertThat(events.getLast()).isEqualTo("[DONE]");
    assertThat(String.join("\n", events)).contains("\"finish_reason\":\"length\"");
    assertThat(smallDone).as("answered while the capped stream's prompt was being counted").isLessThan(bigDone.get());
    List<java.util.Map<String, Object>> rows = gateway.awaitRecordsOf(gateway.keyId(capped), 1);
    assertThat(((Number) rows.getFirst().get("completion_tokens")).intValue()).isEqualTo(2);
    assertThat(((Number) rows.getFirst().get("prompt_tokens")).intValue()).isGreaterThan(10_000);
  }
}
