package io.tokenrouter;

import static io.tokenrouter.support.FakeAnthropicServer.blockStop;
import static io.tokenrouter.support.FakeAnthropicServer.error;
import static io.tokenrouter.support.FakeAnthropicServer.errorEvent;
import static io.tokenrouter.support.FakeAnthropicServer.event;
import static io.tokenrouter.support.FakeAnthropicServer.inputJsonDelta;
import static io.tokenrouter.support.FakeAnthropicServer.message;
import static io.tokenrouter.support.FakeAnthropicServer.messageDelta;
import static io.tokenrouter.support.FakeAnthropicServer.messageStart;
import static io.tokenrouter.support.FakeAnthropicServer.messageStop;
import static io.tokenrouter.support.FakeAnthropicServer.ping;
import static io.tokenrouter.support.FakeAnthropicServer.textBlockStart;
import static io.tokenrouter.support.FakeAnthropicServer.textDelta;
import static io.tokenrouter.support.FakeAnthropicServer.textStream;
import static io.tokenrouter.support.FakeAnthropicServer.toolUseStart;
import static io.tokenrouter.support.FakeAnthropicServer.usage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenrouter.support.FakeAnthropicServer;
import io.tokenrouter.support.TestGateway;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An OpenAI-format client talking to a model served by an Anthropic upstream, end to end. */
@Timeout(30)
class AnthropicGatewayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static FakeAnthropicServer anthropic;
  private static TestGateway gateway;
  private static String key;

  @BeforeAll
  static void start() {
    anthropic = FakeAnthropicServer.start();
    gateway = TestGateway.start("""
        providers:
          - { name: claude, type: anthropic, base_url: "%s", api_key: sk-ant-test }
        models:
          - name: claude-sonnet
            targets: [ { provider: claude, model: claude-sonnet-4-20250514 } ]
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

  @Test
  void systemIsLiftedAndTheRequestTakesAnthropicShape() throws Exception {
    anthropic.replyJson(200, message("msg_1", "end_turn", "[{\"type\":\"text\",\"text\":\"hi\"}]", usage(5, 1, 0, 0)));

    HttpResponse<String> response = gateway.post("/v1/chat/completions", key, """
        {"model":"claude-sonnet","messages":[
          {"role":"system","content":"You are terse."},
          {"role":"user","content":"Hello"}],
         "temperature":0.2,"top_p":0.9,"stop":"END","user":"user-42","n":1,"seed":7,
         "presence_penalty":0.5,"frequency_penalty":0.1,"logprobs":false,"response_format":{"type":"text"},
         "top_k":40,"thinking":{"type":"enabled","budget_tokens":1024}}
        """);

    assertThat(response.statusCode()).isEqualTo(200);
    FakeAnthropicServer.Received sent = anthropic.last();
    assertThat(sent.path()).isEqualTo("/v1/messages");
    assertThat(sent.body()).isEqualTo(JSON.readTree("""
        {"model":"claude-sonnet-4-20250514","max_tokens":4096,
         "system":[{"type":"text","text":"You are terse."}],
         "messages":[{"role":"user","content":"Hello"}],
         "temperature":0.2,"top_p":0.9,"stop_sequences":["END"],
         "top_k":40,"thinking":{"type":"enabled","budget_tokens":1024},
         "metadata":{"user_id":"user-42"}}
        """));
    assertThat(sent.headers().get("x-api-key")).isEqualTo("sk-ant-test");
    assertThat(sent.headers().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(sent.headers().get("content-type")).startsWith("application/json");
    assertThat(sent.headers().contains("authorization")).isFalse();
    for (Map.Entry<String, String> header : sent.headers()) {
      assertThat(header.getValue()).doesNotContain(key);
    }
  }

  @Test
  void textReplyIsTranslatedWithCacheTokensInUsage() throws Exception {
    anthropic.replyJson(200, message("msg_text", "end_turn",
        "[{\"type\":\"text\",\"text\":\"Bonjour \"},{\"type\":\"text\",\"text\":\"le monde\"}]", usage(10, 5, 20, 30)));

    HttpResponse<String> response = gateway.post("/v1/chat/completions", key,
        "{\"model\":\"claude-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in French\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("id").asText()).isEqualTo("msg_text");
    assertThat(body.path("model").asText()).isEqualTo("claude-sonnet-4-20250514");
    JsonNode choice = body.path("choices").get(0);
    assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(choice.path("message").path("content").asText()).isEqualTo("Bonjour le monde");
    assertThat(choice.path("message").has("tool_calls")).isFalse();
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    assertThat(body.path("usage")).isEqualTo(JSON.readTree("""
        {"prompt_tokens":60,"completion_tokens":5,"total_tokens":65,
         "prompt_tokens_details":{"cached_tokens":30,"cache_write_tokens":20}}
        """));
    assertThat(recordedUsage(response)).containsExactly(60, 5, 30, 20, 0);
  }

  @Test
  void toolUseReplyBecomesToolCalls() throws Exception {
    anthropic.replyJson(200, message("msg_tool", "tool_use", """
        [{"type":"text","text":"Let me check."},
         {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris","days":2}}]
        """, usage(50, 20, 0, 0)));

    HttpResponse<String> response = gateway.post("/v1/chat/completions", key, """
        {"model":"claude-sonnet","messages":[{"role":"user","content":"Weather in Paris?"}],
         "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]}
        """);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode choice = JSON.readTree(response.body()).path("choices").get(0);
    assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(choice.path("message").path("content").asText()).isEqualTo("Let me check.");
    JsonNode call = choice.path("message").path("tool_calls").get(0);
    assertThat(call.path("id").asText()).isEqualTo("toolu_01");
    assertThat(call.path("type").asText()).isEqualTo("function");
    assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
    assertThat(JSON.readTree(call.path("function").path("arguments").asText()))
        .isEqualTo(JSON.readTree("{\"city\":\"Paris\",\"days\":2}"));
  }

  @Test
  void streamedToolUseBecomesToolCallDeltas() throws Exception {
    anthropic.replyEvents(List.of(
        messageStart("msg_stool", usage(50, 1, 0, 0)),
        textBlockStart(0), textDelta(0, "Checking."), blockStop(0),
        toolUseStart(1, "toolu_A", "get_weather"),
        inputJsonDelta(1, ""), inputJsonDelta(1, "{\"city\": \"Par"), inputJsonDelta(1, "is\", \"days\""),
        inputJsonDelta(1, ": 2}"), blockStop(1),
        toolUseStart(2, "toolu_B", "get_time"), inputJsonDelta(2, "{\"tz\":\"CET\"}"), blockStop(2),
        messageDelta("tool_use", "{\"output_tokens\":40}"),
        messageStop()));

    HttpResponse<String> response = gateway.post("/v1/chat/completions", key, """
        {"model":"claude-sonnet","stream":true,"messages":[{"role":"user","content":"Weather and time?"}],
         "tools":[{"type":"function","function":{"name":"get_weather"}},{"type":"function","function":{"name":"get_time"}}]}
        """);

    assertThat(response.statusCode()).isEqualTo(200);
    List<JsonNode> chunks = chunks(response.body());
    StringBuilder[] arguments = {new StringBuilder(), new StringBuilder()};
    List<String> starts = new ArrayList<>();
    for (JsonNode chunk : chunks) {
      for (JsonNode call : chunk.path("choices").path(0).path("delta").path("tool_calls")) {
        int index = call.path("index").asInt();
        if (call.has("id")) {
          starts.add(index + ":" + call.path("id").asText() + ":" + call.path("type").asText() + ":"
              + call.path("function").path("name").asText());
        }
        arguments[index].append(call.path("function").path("arguments").asText(""));
      }
    }
    assertThat(starts).containsExactly("0:toolu_A:function:get_weather", "1:toolu_B:function:get_time");
    assertThat(JSON.readTree(arguments[0].toString())).isEqualTo(JSON.readTree("{\"city\":\"Paris\",\"days\":2}"));
    assertThat(JSON.readTree(arguments[1].toString())).isEqualTo(JSON.readTree("{\"tz\":\"CET\"}"));
    assertThat(text(chunks)).isEqualTo("Checking.");
    assertThat(finishReasons(chunks)).containsExactly("tool_calls");
    assertThat(response.body()).endsWith("data: [DONE]\n\n");
  }

  @Test
  void assistantToolCallsAndToolResultsRoundTripIntoTheRequest() throws Exception {
    anthropic.replyJson(200, message("msg_rt", "end_turn", "[{\"type\":\"text\",\"text\":\"Sunny.\"}]", usage(80, 3, 0, 0)));

    HttpResponse<String> response = gateway.post("/v1/chat/completions", key, """
        {"model":"claude-sonnet","tool_choice":"required","parallel_tool_calls":false,
         "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather by city",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
         "messages":[
          {"role":"user","content":"Weather in Paris and Rome?"},
          {"role":"assistant","content":null,"tool_calls":[
            {"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
            {"id":"toolu_2","type":"function","function":{"name":"get_weather","arguments":"not json"}}]},
          {"role":"tool","tool_call_id":"toolu_1","content":"18C sunny"},
          {"role":"tool","tool_call_id":"toolu_2","content":[{"type":"text","text":"21C"}]},
          {"role":"user","content":"Summarise."}]}
        """);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode sent = anthropic.last().body();
    assertThat(sent.path("messages")).isEqualTo(JSON.readTree("""
        [{"role":"user","content":"Weather in Paris and Rome?"},
         {"role":"assistant","content":[
           {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},
           {"type":"tool_use","id":"toolu_2","name":"get_weather","input":{}}]},
         {"role":"user","content":[
           {"type":"tool_result","tool_use_id":"toolu_1","content":"18C sunny"},
           {"type":"tool_result","tool_use_id":"toolu_2","content":[{"type":"text","text":"21C"}]},
           {"type":"text","text":"Summarise."}]}]
        """));
    assertThat(sent.path("tools")).isEqualTo(JSON.readTree("""
        [{"name":"get_weather","description":"Weather by city",
          "input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}]
        """));
    assertThat(sent.path("tool_choice")).isEqualTo(JSON.readTree("{\"type\":\"any\",\"disable_parallel_tool_use\":true}"));
    assertThat(sent.has("parallel_tool_calls")).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"end_turn,stop", "stop_sequence,stop", "max_tokens,length", "tool_use,tool_calls", "refusal,content_filter"})
  void stopReasonsMapToFinishReasons(String stopReason, String finishReason) throws Exception {
    anthropic.replyJson(200, message("msg_stop", stopReason, "[{\"type\":\"text\",\"text\":\"x\"}]", usage(3, 1, 0, 0)));
    HttpResponse<String> plain = gateway.post("/v1/chat/completions", key,
        "{\"model\":\"claude-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");
    assertThat(JSON.readTree(plain.body()).path("choices").get(0).path("finish_reason").asText()).isEqualTo(finishReason);

    anthropic.replyEvents(List.of(messageStart("msg_stop", usage(3, 1, 0, 0)), textBlockStart(0), textDelta(0, "x"),
        blockStop(0), messageDelta(stopReason, "{\"output_tokens\":1}"), messageStop()));
    HttpResponse<String> streamed = gateway.post("/v1/chat/completions", key,
        "{\"model\":\"claude-sonnet\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");
    assertThat(finishReasons(chunks(streamed.body()))).containsExactly(finishReason);
  }

  @Test
  void streamedTextIsReassembledWithoutUsageChunkWhenNotAsked() throws Exception {
    List<String> pieces = List.of("The ", "quick brown ", "fox \u00e9t\u00e9 ", "\"jumps\"\n", "over.");
    anthropic.replyEvents(textStream("msg_s1", pieces, usage(12, 1, 4, 8), "{\"output_tokens\":9}"));

    HttpResponse<String> response = gateway.post("/v1/chat/completions", key,
        "{\"model\":\"claude-sonnet\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Tell me\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    List<JsonNode> chunks = chunks(response.body());
    assertThat(chunks.getFirst().path("choices").get(0).path("delta"))
        .isEqualTo(JSON.readTree("{\"role\":\"assistant\",\"content\":\"\"}"));
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(c.path("id").asText()).isEqualTo("msg_s1");
      assertThat(c.has("usage")).isFalse();
    });
    assertThat(text(chunks)).isEqualTo(String.join("", pieces));
    assertThat(finishReasons(chunks)).containsExactly("stop");
    assertThat(response.body()).endsWith("data: [DONE]\n\n");
    assertThat(recordedUsage(response)).containsExactly(24, 9, 8, 4, 0);
  }

  @Test
  void streamedTextEndsWithUsageChunkWhenAsked() throws Exception {
    List<String> pieces = List.of("Hello", ", ", "world");
    anthropic.replyEvents(textStream("msg_s2", pieces, usage(12, 1, 4, 8), "{\"output_tokens\":3}"));

    HttpResponse<String> response = gateway.post("/v1/chat/completions", key, """
        {"model":"claude-sonnet","stream":true,"stream_options":{"include_usage":true},
         "messages":[{"role":"user","content":"Greet"}]}
        """);

    List<JsonNode> chunks = chunks(response.body());
    assertThat(text(chunks)).isEqualTo("Hello, world");
    JsonNode last = chunks.getLast();
    assertThat(last.path("choices").isArray()).isTrue();
    assertThat(last.path("choices")).isEmpty();
    assertThat(last.path("usage")).isEqualTo(JSON.readTree("""
        {"prompt_tokens":24,"completion_tokens":3,"total_tokens":27,
         "prompt_tokens_details":{"cached_tokens":8,"cache_write_tokens":4}}
        """));
    assertThat(chunks.subList(0, chunks.size() - 1)).noneMatch(c -> c.has("usage"));
    assertThat(anthropic.last().body().path("stream").asBoolean()).isTrue();
    assertThat(anthropic.last().body().has("stream_options")).isFalse();
  }

  @Test
  void midStreamErrorEventEndsTheClientStreamWithAnError() throws Exception {
    anthropic.replyEvents(List.of(messageStart("msg_err", usage(7, 1, 0, 0)), textBlockStart(0),
        textDelta(0, "Partial"), errorEvent("overloaded_error", "Overloaded")));

    HttpResponse<String> response = gateway.post("/v1/chat/completions", key,
        "{\"model\":\"claude-sonnet\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    List<String> data = dataLines(response.body());
    assertThat(data.getLast()).isEqualTo("[DONE]");
    JsonNode error = JSON.readTree(data.get(data.size() - 2)).path("error");
    assertThat(error.path("type").asText()).isEqualTo("upstream_error");
    assertThat(error.path("message").asText()).contains("overloaded_error").contains("Overloaded");
    assertThat(text(chunks(response.body()))).isEqualTo("Partial");
    assertThat(finishReasons(chunks(response.body()))).containsExactly("stop");
    assertThat(recordedUsage(response)).containsExactly(7, 1, 0, 0, 1);
  }

  @Test
  void streamCutBeforeMessageStopIsAnError() throws Exception {
    anthropic.replyEvents(List.of(messageStart("msg_cut", usage(7, 1, 0, 0)), textBlockStart(0), textDelta(0, "Half")));

    HttpResponse<String> response = gateway.post("/v1/chat/completions", key,
        "{\"model\":\"claude-sonnet\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");

    List<String> data = dataLines(response.body());
    assertThat(data.getLast()).isEqualTo("[DONE]");
    assertThat(JSON.readTree(data.get(data.size() - 2)).path("error").path("code").asText())
        .isEqualTo("upstream_bad_response");
    assertThat(finishReasons(chunks(response.body()))).containsExactly("stop");
  }

  @Test
  void pingsAndUnknownEventsAreIgnored() throws Exception {
    anthropic.replyEvents(List.of(
        ping(),
        messageStart("msg_unk", usage(5, 1, 0, 0)),
        event("some_future_event", "{\"type\":\"some_future_event\",\"detail\":{\"x\":1}}"),
        textBlockStart(0), ping(), textDelta(0, "Still "),
        event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"future_delta\",\"v\":1}}"),
        textDelta(0, "here"), blockStop(0),
        event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"future_block\"}}"),
        blockStop(1), ping(),
        messageDelta("end_turn", "{\"output_tokens\":2}"), ping(), messageStop()));

    HttpResponse<String> response = gateway.post("/v1/chat/completions", key,
        "{\"model\":\"claude-sonnet\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");

    assertThat(response.body()).doesNotContain("\"error\"");
    List<JsonNode> chunks = chunks(response.body());
    assertThat(text(chunks)).isEqualTo("Still here");
    assertThat(finishReasons(chunks)).containsExactly("stop");
    assertThat(response.body()).endsWith("data: [DONE]\n\n");
  }

  @Test
  void upstreamRateLimitStays429() throws Exception {
    anthropic.replyJson(429, error("rate_limit_error", "Number of request tokens has exceeded your rate limit"));

    HttpResponse<String> response = gateway.post("/v1/chat/completions", key,
        "{\"model\":\"claude-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");

    assertThat(response.statusCode()).isEqualTo(429);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("rate_limit_error");
    assertThat(error.path("message").asText()).contains("rate limit");
  }

  @Test
  void upstreamAuthFailureBecomes502() throws Exception {
    anthropic.replyJson(401, error("authentication_error", "invalid x-api-key"));

    HttpResponse<String> response = gateway.post("/v1/chat/completions", key,
        "{\"model\":\"claude-sonnet\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(JSON.readTree(response.body()).path("error").path("code").asText()).isEqualTo("upstream_auth_failed");
  }

  @Test
  void upstreamInvalidRequestKeepsItsStatusAndMessage() throws Exception {
    anthropic.replyJson(400, error("invalid_request_error", "messages: text content blocks must be non-empty"));

    HttpResponse<String> response = gateway.post("/v1/chat/completions", key,
        "{\"model\":\"claude-sonnet\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("message").asText()).isEqualTo("messages: text content blocks must be non-empty");
  }

  private static List<String> dataLines(String sse) {
    List<String> out = new ArrayList<>();
    for (String event : sse.split("\n\n")) {
      if (event.startsWith("data: ")) {
        out.add(event.substring("data: ".length()));
      }
    }
    return out;
  }

  /** The chunks of a stream, without the final error event and [DONE]. */
  private static List<JsonNode> chunks(String sse) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String data : dataLines(sse)) {
      if (!data.equals("[DONE]")) {
        JsonNode node = JSON.readTree(data);
        if (!node.has("error")) {
          out.add(node);
        }
      }
    }
    return out;
  }

  private static String text(List<JsonNode> chunks) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode c : chunks) {
      sb.append(c.path("choices").path(0).path("delta").path("content").asText(""));
    }
    return sb.toString();
  }

  private static List<String> finishReasons(List<JsonNode> chunks) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : chunks) {
      JsonNode reason = c.path("choices").path(0).path("finish_reason");
      if (reason.isTextual()) {
        out.add(reason.asText());
      }
    }
    return out;
  }

  /** prompt, completion, cache read, cache write, estimated (0/1) of the request's usage record. */
  private static List<Integer> recordedUsage(HttpResponse<String> response) throws Exception {
    String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (Connection c = gateway.gateway().database().dataSource().getConnection();
          PreparedStatement ps = c.prepareStatement("SELECT prompt_tokens, completion_tokens, cache_read_tokens,"
              + " cache_write_tokens, usage_estimated FROM requests WHERE request_id = ?")) {
        ps.setString(1, requestId);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getBoolean(5) ? 1 : 0);
          }
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no usage record for " + requestId);
  }
}
