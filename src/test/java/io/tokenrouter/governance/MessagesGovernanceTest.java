package io.tokenrouter.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenrouter.caller.Limits;
import io.tokenrouter.support.FakeAnthropicServer;
import io.tokenrouter.support.TestGateway;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every check of the request path applies to {@code /v1/messages} as it does to chat completions:
 * the key's allowlist, namespaces matched on the API (whichever alias was used), input and output
 * caps (a capped stream ends as Anthropic ends one: {@code stop_reason: "max_tokens"}), rates,
 * quotas and budgets shared across APIs, one usage record per request with exact usage, metrics.
 */
@Timeout(60)
class MessagesGovernanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static FakeAnthropicServer anthropic;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    anthropic = FakeAnthropicServer.start();
    gateway = TestGateway.start("""
        providers:
          - { name: claude, type: anthropic, base_url: "%s", api_key: sk-ant-upstream }
          - { name: mock, type: mock, mock: { chunk_delay: 1ms } }
        models:
          - { name: claude-s, targets: [ { provider: claude, model: claude-sonnet-4-20250514 } ] }
          - { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] }
          - { name: locked, targets: [ { provider: mock, model: locked } ] }
        namespaces:
          - { name: messages-ns, match: { path: /v1/messages }, policy: { models: [ "claude-s", "mock-chat" ] } }
        """.formatted(anthropic.baseUrl()));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (anthropic != null) {
      anthropic.close();
    }
  }

  @BeforeEach
  void longAnswer() {
    // a provider that ignores max_tokens: 40 words, whatever was asked
    anthropic.reply((request, response) -> {
      List<String> words = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        words.add("word" + i + " ");
      }
      String usage = FakeAnthropicServer.usage(100, 60, 0, 0);
      if (request.body().path("stream").asBoolean()) {
        FakeAnthropicServer.writeEvents(response, FakeAnthropicServer.textStream("msg_long", words,
            FakeAnthropicServer.usage(100, 1, 0, 0), "{\"output_tokens\":60}"));
      } else {
        FakeAnthropicServer.writeJson(response, 200, FakeAnthropicServer.message("msg_long", "end_turn",
            "[{\"type\":\"text\",\"text\":\"" + String.join("", words) + "\"}]", usage));
      }
    });
  }

  private static String body(String model, int maxTokens, boolean stream) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + ",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}]}";
  }

  private static HttpResponse<String> messages(String path, String key, String body) {
    return gateway.send(HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(20))
        .header("x-api-key", key).header("anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static HttpResponse<String> messages(String key, String body) {
    return messages("/v1/messages", key, body);
  }

  private static String errorType(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body()).path("error").path("type").asText();
  }

  @Test
  void keyAllowlistApplies() throws Exception {
    String key = gateway.createKey("mock-chat");

    assertThat(messages(key, body("mock-chat", 16, false)).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = messages(key, body("claude-s", 16, false));

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(errorType(refused)).isEqualTo("permission_error");
    assertThat(messages("/v1/messages/count_tokens", key, body("claude-s", 16, false)).statusCode())
        .isEqualTo(403);
  }

  @Test
  void pathNamespaceCannotBeDodgedThroughTheApiAlias() throws Exception {
    String key = gateway.createKey();

    for (String path : List.of("/v1/messages", "/api/v1/messages", "/v1/messages?beta=true",
        "/api/v1/messages/count_tokens")) {
      HttpResponse<String> refused = messages(path, key, body("locked", 16, false));
      assertThat(refused.statusCode()).as(path).isEqualTo(403);
      assertThat(errorType(refused)).isEqualTo("permission_error");
      assertThat(JSON.readTree(refused.body()).path("error").path("message").asText()).contains("messages-ns");
    }
    // the namespace is the Messages API's: chat completions may use the model
    assertThat(gateway.post("/v1/chat/completions", key,
        "{\"model\":\"locked\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode()).isEqualTo(200);
    assertThat(gateway.post("/api/v1/chat/completions", key,
        "{\"model\":\"locked\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode()).isEqualTo(200);
  }

  @Test
  void inputCapApplies() throws Exception {
    String key = gateway.createKey(null, new Limits(null, null, null, null, 20, null, null, null));
    String big = "{\"model\":\"claude-s\",\"max_tokens\":16,\"system\":\"" + "You are helpful. ".repeat(30)
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    HttpResponse<String> refused = messages(key, big);

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(errorType(refused)).isEqualTo("invalid_request_error");
    assertThat(messages(key, body("claude-s", 16, false)).statusCode()).isEqualTo(200);
  }

  @Test
  void outputCapClampsMaxTokensAndCutsAStreamTheWayAnthropicEndsOne() throws Exception {
    String key = gateway.createKey(null, new Limits(null, null, null, null, null, 5, null, null));

    HttpResponse<String> whole = messages(key, body("claude-s", 1000, false));
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(anthropic.last().body().path("max_tokens").asInt()).isEqualTo(5);

    HttpResponse<String> streamed = messages(key, body("claude-s", 1000, true));

    assertThat(streamed.statusCode()).isEqualTo(200);
    assertThat(anthropic.last().body().path("max_tokens").asInt()).isEqualTo(5);
    List<String[]> events = events(streamed.body());
    List<String> names = events.stream().map(e -> e[0]).toList();
    assertThat(names.getFirst()).isEqualTo("message_start");
    assertThat(names.subList(names.size() - 2, names.size())).containsExactly("message_delta", "message_stop");
    assertThat(names).doesNotContain("error");
    JsonNode delta = JSON.readTree(events.get(events.size() - 2)[1]);
    assertThat(delta.path("delta").path("stop_reason").asText()).isEqualTo("max_tokens");
    assertThat(delta.path("usage").path("output_tokens").asInt()).isEqualTo(5);
    StringBuilder text = new StringBuilder();
    int opened = 0;
    int closed = 0;
    for (String[] e : events) {
      JsonNode data = JSON.readTree(e[1]);
      assertThat(data.path("type").asText()).isEqualTo(e[0]);
      switch (e[0]) {
        case "content_block_start" -> opened++;
        case "content_block_stop" -> closed++;
        case "content_block_delta" -> text.append(data.path("delta").path("text").asText());
        default -> { }
      }
    }
    assertThat(opened).isEqualTo(closed).isEqualTo(1);
    assertThat(text.toString()).startsWith("word0").doesNotContain("word10");

    List<Map<String, Object>> rows = gateway.awaitRecordsOf(gateway.keyId(key), 2);
    Map<String, Object> cut = rows.get(1);
    assertThat(((Number) cut.get("completion_tokens")).intValue()).isEqualTo(5);
    assertThat(cut.get("error_type")).isEqualTo("output_capped");
  }

  @Test
  void rateIsSharedAcrossApis() throws Exception {
    String key = gateway.createKeyWithLimits(2, null);

    assertThat(gateway.post("/v1/chat/completions", key,
        "{\"model\":\"mock-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode()).isEqualTo(200);
    assertThat(messages(key, body("mock-chat", 16, false)).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = messages(key, body("mock-chat", 16, true));

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(errorType(refused)).isEqualTo("rate_limit_error");
    assertThat(refused.headers().firstValue("retry-after")).isPresent();
  }

  @Test
  void quotaCountsWhatMessagesUsed() throws Exception {
    UUID user = gateway.createUser("enterprise", 200L, Limits.NONE);
    String key = gateway.createKey(user, Limits.NONE);

    // the provider reports 100 input and 60 output tokens: 160 of 200 used
    assertThat(messages(key, body("claude-s", 16, false)).statusCode()).isEqualTo(200);
    gateway.awaitRecordsOf(gateway.keyId(key), 1);
    HttpResponse<String> refused = messages(key, body("claude-s", 60, false));

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(errorType(refused)).isEqualTo("rate_limit_error");
    assertThat(JSON.readTree(refused.body()).path("error").path("message").asText()).contains("quota");
  }

  @Test
  void budgetCountsWhatMessagesCost() throws Exception {
    // 100 input and 60 output tokens of claude-sonnet-4: $0.0003 + $0.0009
    String key = gateway.createKey(null, new Limits(null, null, null, null, null, null, new BigDecimal("0.001"),
        null));

    assertThat(messages(key, body("claude-s", 16, true)).statusCode()).isEqualTo(200);
    gateway.awaitRecordsOf(gateway.keyId(key), 1);
    HttpResponse<String> refused = messages(key, body("claude-s", 16, false));

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(JSON.readTree(refused.body()).path("error").path("message").asText()).contains("budget");
  }

  @Test
  void oneExactUsageRecordPerRequestAndMetrics() throws Exception {
    String key = gateway.createKey();
    anthropic.reply((request, response) -> {
      String usage = FakeAnthropicServer.usage(11, 7, 13, 17);
      if (request.body().path("stream").asBoolean()) {
        FakeAnthropicServer.writeEvents(response, FakeAnthropicServer.textStream("msg_u", List.of("a", "b"),
            usage, "{\"output_tokens\":7}"));
      } else {
        FakeAnthropicServer.writeJson(response, 200, FakeAnthropicServer.message("msg_u", "end_turn",
            "[{\"type\":\"text\",\"text\":\"ab\"}]", usage));
      }
    });

    assertThat(messages(key, body("claude-s", 16, false)).statusCode()).isEqualTo(200);
    assertThat(messages(key, body("claude-s", 16, true)).statusCode()).isEqualTo(200);

    List<Map<String, Object>> rows = gateway.awaitRecordsOf(gateway.keyId(key), 2);
    Thread.sleep(200);
    rows = gateway.awaitRecordsOf(gateway.keyId(key), 2);
    assertThat(rows).hasSize(2);
    for (Map<String, Object> row : rows) {
      assertThat(row.get("model")).isEqualTo("claude-s");
      assertThat(row.get("provider")).isEqualTo("claude");
      assertThat(((Number) row.get("prompt_tokens")).intValue()).isEqualTo(11 + 13 + 17);
      assertThat(((Number) row.get("completion_tokens")).intValue()).isEqualTo(7);
      assertThat(((Number) row.get("cache_read_tokens")).intValue()).isEqualTo(17);
      assertThat(((Number) row.get("cache_write_tokens")).intValue()).isEqualTo(13);
      assertThat(row.get("usage_estimated")).isEqualTo(false);
      assertThat(((BigDecimal) row.get("cost_usd")).signum()).isPositive();
    }
    assertThat(rows.stream().map(r -> r.get("stream")).toList()).containsExactlyInAnyOrder(true, false);

    String metrics = gateway.get("/metrics", null).body();
    assertThat(metrics).contains("tokenrouter_requests_total{model=\"claude-s\",provider=\"claude\",status=\"200\"}");
    assertThat(metrics).contains("tokenrouter_tokens_total{model=\"claude-s\",type=\"cache_read\"}");
    assertThat(metrics).contains("tokenrouter_tokens_total{model=\"claude-s\",type=\"cache_write\"}");
    assertThat(metrics).contains("tokenrouter_cost_usd_total{model=\"claude-s\"}");
  }

  /** (name, data) of each event of an Anthropic stream. */
  private static List<String[]> events(String sse) {
    List<String[]> out = new ArrayList<>();
    for (String block : sse.split("\n\n")) {
      String name = null;
      String data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      if (data != null) {
        out.add(new String[] {name, data});
      }
    }
    return out;
  }
}
