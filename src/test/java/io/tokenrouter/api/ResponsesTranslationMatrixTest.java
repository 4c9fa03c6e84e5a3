package io.tokenrouter.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.caller.Limits;
import io.tokenrouter.support.FakeUpstream;
import io.tokenrouter.support.SseClient;
import io.tokenrouter.support.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Translation matrix, answers: chat completions and Anthropic Messages answers as Responses
 * objects and events (stop and incomplete reasons, reasoning, usage with cache fields, errors),
 * the output cap ending an answer as {@code incomplete}, and a Codex CLI request against both
 * kinds of provider.
 */
@Timeout(30)
class ResponsesTranslationMatrixTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static FakeUpstream chat;
  private static FakeUpstream claude;
  private static FakeUpstream responses;
  private static TestGateway gateway;
  private static String key;

  @BeforeAll
  static void start() {
    chat = new FakeUpstream();
    claude = new FakeUpstream();
    responses = new FakeUpstream();
    gateway = TestGateway.start("""
        pipeline: { off: [ arranger, canonicalizer, cache_injector ] }   # translation alone, unchanged by the pipeline
        providers:
          - { name: openai, type: openai, base_url: "%s/v1", api_key: sk-chat }
          - { name: anthropic, type: anthropic, base_url: "%s", api_key: sk-ant }
          - { name: native, type: openai, base_url: "%s/v1", api_key: sk-native, responses: native }
          - { name: mock, type: mock, mock: { chunk_delay: 1ms } }
        models:
          - { name: gpt, targets: [ { provider: openai, model: gpt-4o } ] }
          - { name: claude, targets: [ { provider: anthropic, model: claude-sonnet-4-5 } ] }
          - { name: gpt-native, targets: [ { provider: native, model: gpt-5-codex } ] }
          - { name: mock-chat, targets: [ { provider: mock, model: mock-chat } ] }
        """.formatted(chat.baseUrl(), claude.baseUrl(), responses.baseUrl()));
    key = gateway.createKey();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    for (FakeUpstream f : new FakeUpstream[] {chat, claude, responses}) {
      if (f != null) {
        f.close();
      }
    }
  }

  private static JsonNode create(String body) throws Exception {
    HttpResponse<String> response = gateway.post("/v1/responses", key, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static List<JsonNode> stream(String body) throws Exception {
    return stream(key, body);
  }

  private static List<JsonNode> stream(String key, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(gateway.uri("/v1/responses")).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    List<JsonNode> events = new ArrayList<>();
    try (SseClient sse = new SseClient(gateway.http(), request)) {
      for (String data : sse.rest()) {
        events.add(JSON.readTree(data));
      }
    }
    return events;
  }

  private static void chatAnswers(String finishReason, String message, String usage) {
    chat.replyJson(200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o\","
        + "\"choices\":[{\"index\":0,\"message\":" + message + ",\"finish_reason\":\"" + finishReason + "\"}],"
        + "\"usage\":" + usage + "}");
  }

  @Test
  void chatLengthFinishIsIncompleteForMaxOutputTokens() throws Exception {
    chatAnswers("length", "{\"role\":\"assistant\",\"content\":\"Once upon\"}",
        "{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12}");

    JsonNode r = create("{\"model\":\"gpt\",\"input\":\"Tell a story\",\"max_output_tokens\":2}");

    assertThat(r.path("status").asText()).isEqualTo("incomplete");
    assertThat(r.path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
    assertThat(JSON.readTree(chat.last().text()).path("max_tokens").asInt()).isEqualTo(2);
  }

  @Test
  void chatContentFilterIsIncompleteForContentFilter() throws Exception {
    chatAnswers("content_filter", "{\"role\":\"assistant\",\"content\":\"\"}",
        "{\"prompt_tokens\":10,\"completion_tokens\":0,\"total_tokens\":10}");

    JsonNode r = create("{\"model\":\"gpt\",\"input\":\"x\"}");

    assertThat(r.path("status").asText()).isEqualTo("incomplete");
    assertThat(r.path("incomplete_details").path("reason").asText()).isEqualTo("content_filter");
  }

  @Test
  void chatReasoningAndUsageDetails() throws Exception {
    chatAnswers("stop", "{\"role\":\"assistant\",\"reasoning_content\":\"Think.\",\"content\":\"Done.\"}",
        "{\"prompt_tokens\":1200,\"completion_tokens\":50,\"total_tokens\":1250,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":1024},"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":30}}");

    JsonNode r = create("{\"model\":\"gpt\",\"input\":\"x\"}");

    assertThat(r.path("output").get(0).path("type").asText()).isEqualTo("reasoning");
    assertThat(r.path("output").get(0).path("content").get(0).path("text").asText()).isEqualTo("Think.");
    assertThat(r.path("output").get(1).path("content").get(0).path("text").asText()).isEqualTo("Done.");
    assertThat(r.path("usage")).isEqualTo(JSON.readTree("""
        {"input_tokens":1200,"input_tokens_details":{"cached_tokens":1024},"output_tokens":50,
         "output_tokens_details":{"reasoning_tokens":30},"total_tokens":1250}"""));
  }

  @Test
  void anthropicMaxTokensIsIncompleteAndCacheReadsAndWritesCountAsInput() throws Exception {
    claude.replyJson(200, """
        {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
         "content":[{"type":"thinking","thinking":"Hmm.","signature":"sig"},{"type":"text","text":"Part"}],
         "stop_reason":"max_tokens","stop_sequence":null,
         "usage":{"input_tokens":10,"cache_creation_input_tokens":200,"cache_read_input_tokens":1000,
                  "output_tokens":7}}""");

    JsonNode r = create("{\"model\":\"claude\",\"input\":\"x\",\"max_output_tokens\":7}");

    assertThat(r.path("status").asText()).isEqualTo("incomplete");
    assertThat(r.path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
    assertThat(r.path("output").get(0).path("type").asText()).isEqualTo("reasoning");
    assertThat(r.path("usage").path("input_tokens").asInt()).isEqualTo(1210);
    assertThat(r.path("usage").path("input_tokens_details").path("cached_tokens").asInt()).isEqualTo(1000);
    assertThat(r.path("usage").path("output_tokens").asInt()).isEqualTo(7);
  }

  @Test
  void anthropicRefusalIsIncompleteForContentFilter() throws Exception {
    claude.replyJson(200, """
        {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],
         "stop_reason":"refusal","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":0}}""");

    assertThat(create("{\"model\":\"claude\",\"input\":\"x\"}").path("incomplete_details").path("reason").asText())
        .isEqualTo("content_filter");
  }

  @Test
  void anthropicToolUseStreamsAsAFunctionCallItem() throws Exception {
    claude.replySse(List.of(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"model\":\"c\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
            + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{}}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
            + "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
            + "{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
            + "\"usage\":{\"output_tokens\":9}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));

    List<JsonNode> events = stream("{\"model\":\"claude\",\"input\":\"x\",\"stream\":true,"
        + "\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}]}");

    assertThat(events.stream().map(e -> e.path("type").asText()).toList()).containsExactly("response.created",
        "response.in_progress", "response.output_item.added", "response.function_call_arguments.delta",
        "response.function_call_arguments.delta", "response.function_call_arguments.done",
        "response.output_item.done", "response.completed");
    JsonNode item = events.get(6).path("item");
    assertThat(item.path("call_id").asText()).isEqualTo("toolu_1");
    assertThat(item.path("name").asText()).isEqualTo("get_weather");
    assertThat(item.path("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(events.getLast().path("response").path("usage").path("output_tokens").asInt()).isEqualTo(9);
  }

  @Test
  void anErrorInTheMiddleOfAStreamEndsItWithResponseFailed() throws Exception {
    claude.replySse(List.of(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"model\":\"c\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n",
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"));

    List<JsonNode> events = stream("{\"model\":\"claude\",\"input\":\"x\",\"stream\":true}");

    JsonNode last = events.getLast();
    assertThat(last.path("type").asText()).isEqualTo("response.failed");
    assertThat(last.path("response").path("status").asText()).isEqualTo("failed");
    assertThat(last.path("response").path("error").path("code").asText()).isEqualTo("upstream_overloaded");
    assertThat(last.path("response").path("error").path("message").asText()).contains("Overloaded");
  }

  @Test
  void providerErrorsTakeOpenAisShapeAndKeepRetryAfter() throws Exception {
    chat.reply((r, response) -> response.setStatusCode(429).putHeader("retry-after", "7")
        .putHeader("content-type", "application/json")
        .end("{\"error\":{\"message\":\"Slow down\",\"type\":\"rate_limit_error\"}}"));

    HttpResponse<String> response = gateway.post("/v1/responses", key, "{\"model\":\"gpt\",\"input\":\"x\"}");

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("retry-after")).hasValue("7");
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("rate_limit_error");
    assertThat(error.path("message").asText()).contains("Slow down");
  }

  @Test
  void badRequestsAreRefusedInOpenAisShape() throws Exception {
    HttpResponse<String> response = gateway.post("/v1/responses", key, "{\"model\":\"gpt\",\"input\":42}");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("param").asText()).isEqualTo("input");
  }

  @Test
  void theKeysOutputCapEndsAStreamAsIncomplete() throws Exception {
    String capped = gateway.createKey(null, new Limits(null, null, null, null, null, 3, null, null));

    List<JsonNode> events = stream(capped, "{\"model\":\"mock-chat\",\"stream\":true,"
        + "\"input\":\"one two three four five six seven eight\"}");

    JsonNode last = events.getLast();
    assertThat(last.path("type").asText()).isEqualTo("response.incomplete");
    assertThat(last.path("response").path("status").asText()).isEqualTo("incomplete");
    assertThat(last.path("response").path("incomplete_details").path("reason").asText())
        .isEqualTo("max_output_tokens");
    assertThat(last.path("response").path("usage").path("output_tokens").asInt()).isEqualTo(3);
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).path("sequence_number").asInt()).isEqualTo(i);
    }
  }

  /** A request as Codex CLI sends it (see REFERENCE.md). */
  private static final String CODEX = """
      {"model":"%s","instructions":"You are Codex, a coding agent.",
       "input":[{"type":"message","role":"developer","content":[{"type":"input_text","text":"<permissions>"}]},
                {"type":"message","role":"user","content":[{"type":"input_text","text":"List the files"}]}],
       "tools":[{"type":"function","name":"shell","description":"Runs a command","strict":false,
                 "parameters":{"type":"object","properties":{"command":{"type":"array","items":{"type":"string"}}},
                   "required":["command"],"additionalProperties":false}}],
       "tool_choice":"auto","parallel_tool_calls":false,"reasoning":{"effort":"medium","summary":"auto"},
       "store":false,"stream":true,"include":["reasoning.encrypted_content"],"prompt_cache_key":"019a-session"}""";

  @Test
  void codexRequestThroughChatCompletions() throws Exception {
    chat.reply((r, response) -> {
      response.setChunked(true).putHeader("content-type", "text/event-stream");
      response.write("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"ls\"},\"finish_reason\":null}]}\n\n");
      response.write("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
          + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
      response.write("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
          + "\"choices\":[],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":1,\"total_tokens\":51}}\n\n");
      response.end("data: [DONE]\n\n");
    });

    List<JsonNode> events = stream(CODEX.formatted("gpt"));

    assertThat(events.getLast().path("type").asText()).isEqualTo("response.completed");
    assertThat(events.getLast().path("response").path("usage").path("input_tokens").asInt()).isEqualTo(50);
    JsonNode sent = JSON.readTree(chat.last().text());
    assertThat(sent.path("messages").get(0)).isEqualTo(JSON.readTree(
        "{\"role\":\"system\",\"content\":\"You are Codex, a coding agent.\"}"));
    assertThat(sent.path("messages").get(1).path("role").asText()).isEqualTo("system");
    assertThat(sent.path("reasoning_effort").asText()).isEqualTo("medium");
    assertThat(sent.path("prompt_cache_key").asText()).isEqualTo("019a-session");
    assertThat(sent.path("parallel_tool_calls").asBoolean()).isFalse();
    assertThat(sent.has("include")).isFalse();
    assertThat(sent.has("store")).isFalse();
    assertThat(sent.has("reasoning")).isFalse();
  }

  @Test
  void codexRequestThroughMessages() throws Exception {
    claude.replySse(List.of(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"model\":\"c\",\"content\":[],\"usage\":{\"input_tokens\":50,\"output_tokens\":1}}}\n\n",
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
            + "{\"type\":\"text\",\"text\":\"\"}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
            + "{\"type\":\"text_delta\",\"text\":\"ls\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
            + "\"usage\":{\"output_tokens\":2}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));

    List<JsonNode> events = stream(CODEX.formatted("claude"));

    assertThat(events.getLast().path("type").asText()).isEqualTo("response.completed");
    JsonNode sent = JSON.readTree(claude.last().text());
    assertThat(sent.path("system")).isEqualTo(JSON.readTree(
        "[{\"type\":\"text\",\"text\":\"You are Codex, a coding agent.\"},{\"type\":\"text\",\"text\":\"<permissions>\"}]"));
    assertThat(sent.path("tools").get(0).has("strict")).isFalse();
    assertThat(sent.has("include")).isFalse();
    assertThat(sent.has("reasoning")).isFalse();
    assertThat(sent.has("prompt_cache_key")).isFalse();
  }

  @Test
  void codexRequestToANativeProviderGoesAsSentAndComesBackAsSent() throws Exception {
    String completed = "{\"type\":\"response.completed\",\"sequence_number\":1,\"response\":{\"id\":\"resp_up\","
        + "\"object\":\"response\",\"status\":\"completed\",\"output\":[],\"usage\":{\"input_tokens\":50,"
        + "\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":1,"
        + "\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":51}}}";
    String created = "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_up\","
        + "\"object\":\"response\",\"status\":\"in_progress\",\"output\":[]}}";
    responses.replySse(List.of("event: response.created\ndata: " + created + "\n\n",
        "event: response.completed\ndata: " + completed + "\n\n"));

    HttpRequest request = HttpRequest.newBuilder(gateway.uri("/v1/responses")).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(CODEX.formatted("gpt-native"))).build();
    List<String> data;
    try (SseClient sse = new SseClient(gateway.http(), request)) {
      data = sse.rest();
    }

    assertThat(data).containsExactly(created, completed);
    JsonNode sent = JSON.readTree(responses.last().text());
    JsonNode expected = ((ObjectNode) JSON.readTree(CODEX.formatted("gpt-native")))
        .put("model", "gpt-5-codex");
    assertThat(sent).isEqualTo(expected);
    assertThat(responses.last().uri()).isEqualTo("/v1/responses");
  }
}
