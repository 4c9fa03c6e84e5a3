package io.tokenrouter.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.support.FakeAnthropicServer;
import io.tokenrouter.support.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An Anthropic client in front of an Anthropic upstream gets a relay, not a translation: the
 * request body reaches the upstream byte for byte (cache_control, thinking, fields and betas the
 * gateway has never heard of), its version and beta headers forwarded (the beta list a union with
 * the configured one), and the upstream's reply and events reach the client byte for byte, pings
 * and unknown event types included. A model mapped to another name changes only {@code model}.
 */
@Timeout(30)
class AnthropicByteFidelityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Odd spacing and key order on purpose: a re-serialised body would not match. */
  private static final String REQUEST = """
      {"model": "claude-same",  "max_tokens":32000,
        "x_future_field" : {"nested": [1, 2.50, "three"], "flag": true},
        "system": [{"type":"text","text":"billing line"},
                   {"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral","ttl":"1h"}}],
        "thinking": {"type":"adaptive","budget_tokens": 2048},
        "context_management": {"edits":[{"type":"clear_tool_uses_20250919"}]},
        "metadata": {"user_id":"session-77"},
        "tools": [{"name":"Read","description":"Read a file","input_schema":{"type":"object"},"defer_loading":true}],
        "messages": [
          {"role":"user","content":[{"type":"text","text":"hi \\u00e9t\\u00e9","x_block_field":{"keep":"me"},
             "cache_control":{"type":"ephemeral"}}]},
          {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"sig=="},
             {"type":"text","text":""}]},
          {"role":"user","content":[{"type":"future_block","payload":{"z":1}},{"type":"text","text":"go on"}]}],
        "stream": %s }
      """;
  private static final String REPLY = """
      {"id":"msg_01","type":"message","role":"assistant","model":"claude-same-upstream",
       "content":[{"type":"thinking","thinking":"t","signature":"s"},{"type":"text","text":"Hi","x_new":1},
                  {"type":"future_block","data":[1,2]}],
       "stop_reason":"end_turn","stop_sequence":null,"container":null,
       "usage":{"input_tokens":5,"cache_creation_input_tokens":7,"cache_read_input_tokens":9,"output_tokens":3,
                "cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":7},"service_tier":"standard"}}
      """;
  private static final List<String> EVENTS = List.of(
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_02\",\"type\":\"message\","
          + "\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
          + "\"usage\":{\"input_tokens\":5,\"cache_creation_input_tokens\":7,\"cache_read_input_tokens\":9,"
          + "\"output_tokens\":1}}}\n\n",
      "event: ping\ndata: {\"type\": \"ping\"}\n\n",
      "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
          + "\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}\n\n",
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
          + "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Let me think\"}}\n\n",
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
          + "\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAh==\"}}\n\n",
      "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
      "event: some_future_event\ndata: {\"type\":\"some_future_event\",\"detail\":{\"x\": [1, 2]}}\n\n",
      "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,"
          + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,"
          + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Bonjour \\u00e9t\\u00e9\"}}\n\n",
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,"
          + "\"delta\":{\"type\":\"future_delta\",\"v\":1}}\n\n",
      "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n",
      "event: ping\ndata: {\"type\": \"ping\"}\n\n",
      "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
          + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":12}}\n\n",
      "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

  private static FakeAnthropicServer anthropic;
  private static TestGateway gateway;
  private static String key;

  @BeforeAll
  static void start() {
    anthropic = FakeAnthropicServer.start();
    gateway = TestGateway.start("""
        providers:
          - name: claude
            type: anthropic
            base_url: "%s"
            api_key: sk-ant-upstream
            headers: { anthropic-beta: "configured-beta-2025-01-01,interleaved-thinking-2025-05-14" }
        models:
          - name: claude-same
            targets: [ { provider: claude, model: claude-same } ]
          - name: claude-alias
            targets: [ { provider: claude, model: claude-real-2026 } ]
        """.formatted(anthropic.baseUrl()));
    key = gateway.createKey();
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

  private static HttpRequest request(String path, String body) {
    return HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(20))
        .header("x-api-key", key)
        .header("content-type", "application/json")
        .header("anthropic-version", "2023-06-01")
        .header("anthropic-beta", "my-unknown-beta-2099-01-01,interleaved-thinking-2025-05-14")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static HttpResponse<byte[]> send(HttpRequest request) throws Exception {
    return gateway.http().send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void wholeRequestAndReplyPassUnchanged() throws Exception {
    anthropic.replyJson(200, REPLY);
    String body = REQUEST.formatted("false");

    HttpResponse<byte[]> response = send(request("/v1/messages?beta=true", body));

    assertThat(response.statusCode()).isEqualTo(200);
    FakeAnthropicServer.Received sent = anthropic.last();
    assertThat(sent.path()).isEqualTo("/v1/messages");
    assertThat(new String(sent.raw(), StandardCharsets.UTF_8)).isEqualTo(body);
    assertThat(sent.raw()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
    assertForwardedHeaders(sent);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(REPLY);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
  }

  @Test
  void streamedRequestAndEveryEventPassUnchanged() throws Exception {
    anthropic.replyEvents(EVENTS);
    String body = REQUEST.formatted("true");

    HttpResponse<byte[]> response = send(request("/v1/messages", body));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
    assertThat(anthropic.last().raw()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
    assertForwardedHeaders(anthropic.last());
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(String.join("", EVENTS));
  }

  @Test
  void countTokensRequestPassesUnchanged() throws Exception {
    anthropic.replyJson(200, "{\"input_tokens\": 1234, \"x_extra\": true}");
    String body = "{\"model\":\"claude-same\", \"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + " \"x_future_field\": 1}";

    HttpResponse<byte[]> response = send(request("/v1/messages/count_tokens?beta=true", body));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(anthropic.last().path()).isEqualTo("/v1/messages/count_tokens");
    assertThat(anthropic.last().raw()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
    assertForwardedHeaders(anthropic.last());
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"input_tokens\": 1234, \"x_extra\": true}");
  }

  @Test
  void aMappedModelNameChangesOnlyTheModel() throws Exception {
    for (String stream : List.of("false", "true")) {
      if (stream.equals("true")) {
        anthropic.replyEvents(EVENTS);
      } else {
        anthropic.replyJson(200, REPLY);
      }
      String body = REQUEST.formatted(stream).replace("\"claude-same\"", "\"claude-alias\"");

      HttpResponse<byte[]> response = send(request("/v1/messages", body));

      assertThat(response.statusCode()).isEqualTo(200);
      ObjectNode expected = (ObjectNode) JSON.readTree(body);
      expected.put("model", "claude-real-2026");
      JsonNode sent = JSON.readTree(anthropic.last().raw());
      assertThat(sent).isEqualTo(expected);
      assertForwardedHeaders(anthropic.last());
      // the reply is still the provider's own bytes
      assertThat(new String(response.body(), StandardCharsets.UTF_8))
          .isEqualTo(stream.equals("true") ? String.join("", EVENTS) : REPLY);
    }
  }

  private static void assertForwardedHeaders(FakeAnthropicServer.Received sent) {
    assertThat(sent.headers().getAll("anthropic-version")).containsExactly("2023-06-01");
    assertThat(sent.headers().getAll("anthropic-beta"))
        .containsExactly("my-unknown-beta-2099-01-01,interleaved-thinking-2025-05-14,configured-beta-2025-01-01");
    assertThat(sent.headers().get("x-api-key")).isEqualTo("sk-ant-upstream");
    assertThat(sent.headers().get("authorization")).isNull();
    sent.headers().forEach(h -> assertThat(h.getValue()).doesNotContain(key));
  }
}
