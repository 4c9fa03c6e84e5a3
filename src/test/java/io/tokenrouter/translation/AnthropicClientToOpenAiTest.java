package io.tokenrouter.translation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenrouter.support.FakeAnthropicServer;
import io.tokenrouter.support.FakeOpenAiServer;
import io.tokenrouter.support.TestGateway;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The translation matrix for an Anthropic Messages client served by an OpenAI-compatible upstream:
 * the request (system blocks, images, tool calls and results, tool choice and parallel flag, stop
 * sequences, empty blocks, Anthropic-only fields), the reply streamed and not (stop reasons,
 * reasoning as thinking, parallel tool calls, usage with cache reads and writes in Anthropic's
 * terms), and errors in Anthropic's shape with the right status, from this upstream and from an
 * Anthropic one (whose 529 stays 529).
 */
@Timeout(60)
class AnthropicClientToOpenAiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static FakeOpenAiServer openai;
  private static FakeAnthropicServer anthropic;
  private static TestGateway gateway;
  private static String key;

  @BeforeAll
  static void start() {
    openai = new FakeOpenAiServer();
    anthropic = FakeAnthropicServer.start();
    gateway = TestGateway.start("""
        providers:
          - { name: oai, type: openai, base_url: "%s", api_key: sk-oai, timeouts: { first_byte: 5s, idle: 2s } }
          - { name: claude, type: anthropic, base_url: "%s", api_key: sk-ant }
        models:
          - { name: m-oai, targets: [ { provider: oai, model: gpt-4o-up } ] }
          - { name: m-ant, targets: [ { provider: claude, model: claude-up } ] }
        """.formatted(openai.baseUrl(), anthropic.baseUrl()));
    key = gateway.createKey();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (openai != null) {
      openai.close();
    }
    if (anthropic != null) {
      anthropic.close();
    }
  }

  private static HttpResponse<String> messages(String body) {
    return gateway.send(HttpRequest.newBuilder(gateway.uri("/v1/messages")).timeout(Duration.ofSeconds(20))
        .header("x-api-key", key).header("anthropic-version", "2023-06-01")
        .header("anthropic-beta", "some-beta-2025-01-01")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static String simple(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":64,\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
  }

  private static JsonObject usage(int prompt, int completion, int cached, int written) {
    JsonObject details = new JsonObject().put("cached_tokens", cached);
    if (written > 0) {
      details.put("cache_write_tokens", written);
    }
    return new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", completion)
        .put("total_tokens", prompt + completion).put("prompt_tokens_details", details);
  }

  private static void completion(HttpServerResponse response, JsonObject message, String finish, JsonObject usage) {
    JsonObject body = new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 1)
        .put("model", "gpt-4o-up")
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message)
            .put("logprobs", (Object) null).put("finish_reason", finish)))
        .put("usage", usage);
    response.putHeader("content-type", "application/json").end(body.encode());
  }

  private static String chunk(JsonObject delta, String finish) {
    JsonObject c = new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion.chunk").put("created", 1)
        .put("model", "gpt-4o-up").put("choices", new JsonArray().add(new JsonObject().put("index", 0)
            .put("delta", delta).put("logprobs", (Object) null).put("finish_reason", finish)))
        .putNull("usage");
    return "data: " + c.encode() + "\n\n";
  }

  private static String usageChunk(JsonObject usage) {
    return "data: " + new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion.chunk")
        .put("created", 1).put("model", "gpt-4o-up").put("choices", new JsonArray()).put("usage", usage).encode()
        + "\n\n";
  }

  private static void stream(HttpServerResponse response, List<String> chunks) {
    response.setChunked(true).putHeader("content-type", "text/event-stream");
    chunks.forEach(response::write);
    response.end();
  }

  @Test
  void requestIsTranslated() throws Exception {
    openai.reply((req, resp) -> completion(resp, new JsonObject().put("role", "assistant").put("content", "ok"),
        "stop", usage(10, 1, 0, 0)));

    HttpResponse<String> response = messages("""
        {"model":"m-oai","max_tokens":100,"stop_sequences":["END","STOP"],
         "system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}},
                   {"type":"text","text":""},{"type":"text","text":"Use metric."}],
         "tools":[{"name":"get_weather","description":"Weather by city","cache_control":{"type":"ephemeral"},
                   "input_schema":{"type":"object","properties":{"city":{"type":"string"}}}},
                  {"name":"get_time","input_schema":{"type":"object"}}],
         "tool_choice":{"type":"any","disable_parallel_tool_use":true},
         "thinking":{"type":"enabled","budget_tokens":1024},"top_k":5,"temperature":0.3,
         "context_management":{"edits":[]},"metadata":{"user_id":"user-9"},
         "messages":[
           {"role":"user","content":[{"type":"text","text":"Look"},
             {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
             {"type":"image","source":{"type":"url","url":"https://example.com/a.jpg"}}]},
           {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"sig"},
             {"type":"text","text":""},{"type":"text","text":"Checking both."},
             {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},
             {"type":"tool_use","id":"toolu_2","name":"get_time","input":{}}]},
           {"role":"user","content":[
             {"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"18C"}]},
             {"type":"tool_result","tool_use_id":"toolu_2","content":"clock broken","is_error":true},
             {"type":"text","text":"Summarise","cache_control":{"type":"ephemeral"}}]}]}
        """);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    FakeOpenAiServer.Received got = openai.received().getLast();
    assertThat(got.headers().get("Authorization")).isEqualTo("Bearer sk-oai");
    assertThat(got.headers()).doesNotContainKeys("anthropic-version", "anthropic-beta", "x-api-key");
    JsonNode sent = JSON.readTree(got.body().encode());
    assertThat(sent).isEqualTo(JSON.readTree("""
        {"model":"gpt-4o-up",
         "messages":[
           {"role":"system","content":"Be brief.\\nUse metric."},
           {"role":"user","content":[{"type":"text","text":"Look"},
             {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
             {"type":"image_url","image_url":{"url":"https://example.com/a.jpg"}}]},
           {"role":"assistant","content":"Checking both.","tool_calls":[
             {"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
             {"id":"toolu_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
           {"role":"tool","tool_call_id":"toolu_1","content":"18C"},
           {"role":"tool","tool_call_id":"toolu_2","content":"clock broken"},
           {"role":"user","content":"Summarise"}],
         "tools":[
           {"type":"function","function":{"name":"get_weather","description":"Weather by city",
             "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}},
           {"type":"function","function":{"name":"get_time","parameters":{"type":"object"}}}],
         "tool_choice":"required","parallel_tool_calls":false,
         "max_tokens":100,"stop":["END","STOP"],"temperature":0.3,"user":"user-9"}
        """));
  }

  @ParameterizedTest
  @CsvSource({"auto,,'\"auto\"'", "none,,'\"none\"'", "any,,'\"required\"'",
      "tool,get_time,'{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}'"})
  void toolChoiceVariants(String type, String name, String expected) throws Exception {
    openai.reply((req, resp) -> completion(resp, new JsonObject().put("role", "assistant").put("content", "ok"),
        "stop", usage(10, 1, 0, 0)));
    String choice = "{\"type\":\"" + type + "\"" + (name == null ? "" : ",\"name\":\"" + name + "\"") + "}";

    messages("{\"model\":\"m-oai\",\"max_tokens\":10,\"tool_choice\":" + choice
        + ",\"tools\":[{\"name\":\"get_time\",\"input_schema\":{\"type\":\"object\"}}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");

    JsonObject sent = openai.received().getLast().body();
    assertThat(JSON.readTree(io.vertx.core.json.Json.encode(sent.getValue("tool_choice"))))
        .isEqualTo(JSON.readTree(expected));
    assertThat(sent.containsKey("parallel_tool_calls")).isFalse();
  }

  @Test
  void parallelFlagAloneBecomesParallelToolCalls() {
    openai.reply((req, resp) -> completion(resp, new JsonObject().put("role", "assistant").put("content", "ok"),
        "stop", usage(10, 1, 0, 0)));

    messages("{\"model\":\"m-oai\",\"max_tokens\":10,\"tool_choice\":{\"type\":\"auto\","
        + "\"disable_parallel_tool_use\":false},\"tools\":[{\"name\":\"t\",\"input_schema\":{\"type\":\"object\"}}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");

    assertThat(openai.received().getLast().body().getBoolean("parallel_tool_calls")).isTrue();
  }

  @Test
  void wholeReplyWithReasoningParallelToolsAndCacheUsage() throws Exception {
    JsonArray calls = new JsonArray()
        .add(new JsonObject().put("id", "call_a").put("type", "function")
            .put("function", new JsonObject().put("name", "get_weather").put("arguments", "{\"city\":\"Paris\"}")))
        .add(new JsonObject().put("id", "call_b").put("type", "function")
            .put("function", new JsonObject().put("name", "get_time").put("arguments", "{\"tz\":\"CET\"}")));
    openai.reply((req, resp) -> completion(resp, new JsonObject().put("role", "assistant")
        .put("reasoning_content", "Two lookups.").put("content", "Checking.").put("tool_calls", calls),
        "tool_calls", usage(100, 20, 40, 10)));

    HttpResponse<String> response = messages(simple("m-oai", false));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode message = JSON.readTree(response.body());
    assertThat(message.path("type").asText()).isEqualTo("message");
    assertThat(message.path("role").asText()).isEqualTo("assistant");
    assertThat(message.path("id").asText()).isNotBlank();
    assertThat(message.path("content")).isEqualTo(JSON.readTree("""
        [{"type":"thinking","thinking":"Two lookups.","signature":""},
         {"type":"text","text":"Checking."},
         {"type":"tool_use","id":"call_a","name":"get_weather","input":{"city":"Paris"}},
         {"type":"tool_use","id":"call_b","name":"get_time","input":{"tz":"CET"}}]
        """));
    assertThat(message.path("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(message.path("stop_sequence").isNull()).isTrue();
    assertThat(message.path("usage")).isEqualTo(JSON.readTree("""
        {"input_tokens":50,"cache_creation_input_tokens":10,"cache_read_input_tokens":40,"output_tokens":20}
        """));
  }

  @Test
  void streamedReplyWithReasoningParallelToolsAndCacheUsage() throws Exception {
    openai.reply((req, resp) -> stream(resp, List.of(
        chunk(new JsonObject().put("role", "assistant").put("content", ""), null),
        chunk(new JsonObject().put("reasoning_content", "Two "), null),
        chunk(new JsonObject().put("reasoning_content", "lookups."), null),
        chunk(new JsonObject().put("content", "Check"), null),
        chunk(new JsonObject().put("content", "ing."), null),
        chunk(toolDelta(0, "call_a", "get_weather", ""), null),
        chunk(toolDelta(0, null, null, "{\"city\":"), null),
        chunk(toolDelta(0, null, null, "\"Paris\"}"), null),
        chunk(toolDelta(1, "call_b", "get_time", "{\"tz\""), null),
        chunk(toolDelta(1, null, null, ":\"CET\"}"), null),
        chunk(new JsonObject(), "tool_calls"),
        usageChunk(usage(100, 20, 40, 10)),
        "data: [DONE]\n\n")));

    HttpResponse<String> response = messages(simple("m-oai", true));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(openai.received().getLast().body().getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
    List<JsonNode> events = events(response.body());
    List<String> types = events.stream().map(e -> e.path("type").asText()).toList();
    assertThat(types).containsExactly("message_start",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop");
    JsonNode start = events.getFirst().path("message");
    assertThat(start.path("content")).isEmpty();
    assertThat(start.path("stop_reason").isNull()).isTrue();
    assertThat(start.path("usage").path("input_tokens").asInt()).isPositive();
    assertThat(events.get(1).path("content_block").path("type").asText()).isEqualTo("thinking");
    assertThat(events.get(2).path("delta").path("type").asText()).isEqualTo("thinking_delta");
    assertThat(events.get(5).path("content_block")).isEqualTo(JSON.readTree("{\"type\":\"text\",\"text\":\"\"}"));
    assertThat(events.get(6).path("delta")).isEqualTo(JSON.readTree("{\"type\":\"text_delta\",\"text\":\"Check\"}"));
    assertThat(events.get(9).path("content_block")).isEqualTo(JSON.readTree(
        "{\"type\":\"tool_use\",\"id\":\"call_a\",\"name\":\"get_weather\",\"input\":{}}"));
    assertThat(events.get(13).path("content_block").path("id").asText()).isEqualTo("call_b");
    for (int i = 1; i < events.size() - 2; i++) {
      assertThat(events.get(i).path("index").asInt()).isEqualTo((i - 1) / 4);
    }
    assertThat(JSON.readTree(partialJson(events, 2))).isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));
    assertThat(JSON.readTree(partialJson(events, 3))).isEqualTo(JSON.readTree("{\"tz\":\"CET\"}"));
    JsonNode delta = events.get(events.size() - 2);
    assertThat(delta.path("delta").path("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(delta.path("usage")).isEqualTo(JSON.readTree("""
        {"input_tokens":50,"cache_creation_input_tokens":10,"cache_read_input_tokens":40,"output_tokens":20}
        """));
  }

  private static JsonObject toolDelta(int index, String id, String name, String arguments) {
    JsonObject call = new JsonObject().put("index", index);
    JsonObject function = new JsonObject().put("arguments", arguments);
    if (id != null) {
      call.put("id", id).put("type", "function");
      function.put("name", name);
    }
    call.put("function", function);
    return new JsonObject().put("tool_calls", new JsonArray().add(call));
  }

  private static String partialJson(List<JsonNode> events, int block) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode e : events) {
      if (e.path("index").asInt(-1) == block && e.path("delta").path("type").asText().equals("input_json_delta")) {
        sb.append(e.path("delta").path("partial_json").asText());
      }
    }
    return sb.toString();
  }

  @ParameterizedTest
  @CsvSource({"stop,end_turn", "length,max_tokens", "tool_calls,tool_use", "content_filter,refusal",
      "function_call,tool_use"})
  void finishReasonsBecomeStopReasons(String finish, String stopReason) throws Exception {
    openai.reply((req, resp) -> {
      if (req.getBoolean("stream", false)) {
        stream(resp, List.of(chunk(new JsonObject().put("role", "assistant").put("content", "x"), null),
            chunk(new JsonObject(), finish), usageChunk(usage(3, 1, 0, 0)), "data: [DONE]\n\n"));
      } else {
        completion(resp, new JsonObject().put("role", "assistant").put("content", "x"), finish, usage(3, 1, 0, 0));
      }
    });

    JsonNode whole = JSON.readTree(messages(simple("m-oai", false)).body());
    assertThat(whole.path("stop_reason").asText()).isEqualTo(stopReason);
    List<JsonNode> events = events(messages(simple("m-oai", true)).body());
    assertThat(events.get(events.size() - 2).path("delta").path("stop_reason").asText()).isEqualTo(stopReason);
    assertThat(events.getLast().path("type").asText()).isEqualTo("message_stop");
  }

  @Test
  void stopSequencesAndEmptyTextNeverBreakTheRequest() {
    openai.reply((req, resp) -> completion(resp, new JsonObject().put("role", "assistant").put("content", "ok"),
        "stop", usage(3, 1, 0, 0)));

    messages("{\"model\":\"m-oai\",\"max_tokens\":10,\"stop_sequences\":[\"\\n\\nHuman:\"],"
        + "\"system\":\"Plain system.\",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");

    JsonObject sent = openai.received().getLast().body();
    assertThat(sent.getJsonArray("stop")).containsExactly("\n\nHuman:");
    assertThat(sent.getJsonArray("messages").getJsonObject(0))
        .isEqualTo(new JsonObject().put("role", "system").put("content", "Plain system."));
  }

  // errors

  @ParameterizedTest(name = "openai {0} -> {1} {2}")
  @CsvSource({"400,400,invalid_request_error", "401,502,api_error", "403,502,api_error", "404,404,not_found_error",
      "429,429,rate_limit_error", "500,502,api_error", "503,503,overloaded_error"})
  void openAiUpstreamErrorsInAnthropicShape(int upstream, int status, String type) throws Exception {
    openai.reply((req, resp) -> resp.setStatusCode(upstream).putHeader("content-type", "application/json")
        .putHeader("retry-after", upstream == 429 ? "7" : "1")
        .end("{\"error\":{\"message\":\"upstream says " + upstream + "\",\"type\":\"x\",\"param\":null,\"code\":null}}"));

    for (boolean stream : new boolean[] {false, true}) {
      HttpResponse<String> response = messages(simple("m-oai", stream));

      assertThat(response.statusCode()).isEqualTo(status);
      JsonNode body = JSON.readTree(response.body());
      assertThat(body.path("type").asText()).isEqualTo("error");
      assertThat(body.path("error").path("type").asText()).isEqualTo(type);
      assertThat(body.path("error").path("message").asText()).contains("upstream says " + upstream);
      if (upstream == 429) {
        assertThat(response.headers().firstValue("retry-after")).hasValue("7");
      }
    }
  }

  @ParameterizedTest(name = "anthropic {0} -> {1} {2}")
  @CsvSource({"400,400,invalid_request_error", "401,502,api_error", "429,429,rate_limit_error", "500,502,api_error",
      "503,503,overloaded_error", "529,529,overloaded_error"})
  void anthropicUpstreamErrorsKeepAnthropicStatuses(int upstream, int status, String type) throws Exception {
    anthropic.replyJson(upstream, FakeAnthropicServer.error(upstream == 529 ? "overloaded_error" : "api_error",
        "upstream says " + upstream), Map.of("retry-after", "9"));

    for (boolean stream : new boolean[] {false, true}) {
      HttpResponse<String> response = messages(simple("m-ant", stream));

      assertThat(response.statusCode()).isEqualTo(status);
      JsonNode body = JSON.readTree(response.body());
      assertThat(body.path("type").asText()).isEqualTo("error");
      assertThat(body.path("error").path("type").asText()).isEqualTo(type);
      assertThat(body.path("error").path("message").asText()).contains("upstream says " + upstream);
      if (upstream == 429 || upstream == 529 || upstream == 503) {
        assertThat(response.headers().firstValue("retry-after")).hasValue("9");
      }
    }
  }

  @Test
  void midStreamErrorChunkEndsWithAnErrorEvent() throws Exception {
    openai.reply((req, resp) -> stream(resp, List.of(
        chunk(new JsonObject().put("role", "assistant").put("content", "Part"), null),
        "data: {\"error\":{\"message\":\"backend exploded\",\"type\":\"server_error\"}}\n\n")));

    HttpResponse<String> response = messages(simple("m-oai", true));

    assertThat(response.statusCode()).isEqualTo(200);
    List<String[]> raw = namedEvents(response.body());
    assertThat(raw.getLast()[0]).isEqualTo("error");
    JsonNode error = JSON.readTree(raw.getLast()[1]);
    assertThat(error.path("type").asText()).isEqualTo("error");
    assertThat(error.path("error").path("message").asText()).contains("backend exploded");
    assertThat(raw.getFirst()[0]).isEqualTo("message_start");
    assertThat(raw.stream().map(e -> e[0]).toList()).doesNotContain("message_stop");
  }

  @ParameterizedTest
  @ValueSource(strings = {"m-oai", "m-ant"})
  void truncatedStreamEndsWithAnErrorEvent(String model) throws Exception {
    openai.reply((req, resp) -> stream(resp, List.of(
        chunk(new JsonObject().put("role", "assistant").put("content", "Half"), null))));
    anthropic.replyEvents(List.of(FakeAnthropicServer.messageStart("msg_t", FakeAnthropicServer.usage(3, 1, 0, 0)),
        FakeAnthropicServer.textBlockStart(0), FakeAnthropicServer.textDelta(0, "Half")));

    HttpResponse<String> response = messages(simple(model, true));

    List<String[]> raw = namedEvents(response.body());
    assertThat(raw.getLast()[0]).isEqualTo("error");
    assertThat(JSON.readTree(raw.getLast()[1]).path("error").path("type").asText()).isEqualTo("api_error");
    assertThat(raw.stream().map(e -> e[0]).toList()).doesNotContain("message_stop");
  }

  @Test
  void anthropicMidStreamOverloadIsAnOverloadedErrorEvent() throws Exception {
    anthropic.replyEvents(List.of(FakeAnthropicServer.messageStart("msg_o", FakeAnthropicServer.usage(3, 1, 0, 0)),
        FakeAnthropicServer.textBlockStart(0), FakeAnthropicServer.textDelta(0, "Half"),
        FakeAnthropicServer.errorEvent("overloaded_error", "Overloaded")));

    List<String[]> raw = namedEvents(messages(simple("m-ant", true)).body());

    assertThat(raw.getLast()[0]).isEqualTo("error");
    JsonNode error = JSON.readTree(raw.getLast()[1]).path("error");
    assertThat(error.path("type").asText()).isEqualTo("overloaded_error");
    assertThat(error.path("message").asText()).contains("Overloaded");
  }

  /** The data of each event, parsed. */
  static List<JsonNode> events(String sse) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String[] e : namedEvents(sse)) {
      JsonNode data = JSON.readTree(e[1]);
      if (!"ping".equals(e[0])) {
        assertThat(data.path("type").asText()).as("event name matches its type").isEqualTo(e[0]);
        out.add(data);
      }
    }
    return out;
  }

  /** (name, data) of each event. */
  static List<String[]> namedEvents(String sse) {
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
