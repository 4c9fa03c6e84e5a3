package io.tokenrouter.translation;

import static io.tokenrouter.support.FakeAnthropicServer.blockStop;
import static io.tokenrouter.support.FakeAnthropicServer.event;
import static io.tokenrouter.support.FakeAnthropicServer.message;
import static io.tokenrouter.support.FakeAnthropicServer.messageDelta;
import static io.tokenrouter.support.FakeAnthropicServer.messageStart;
import static io.tokenrouter.support.FakeAnthropicServer.messageStop;
import static io.tokenrouter.support.FakeAnthropicServer.textBlockStart;
import static io.tokenrouter.support.FakeAnthropicServer.textDelta;
import static io.tokenrouter.support.FakeAnthropicServer.usage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenrouter.support.FakeAnthropicServer;
import io.tokenrouter.support.FakeOpenAiServer;
import io.tokenrouter.support.TestGateway;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The translation matrix for an OpenAI chat completions client served by an Anthropic upstream,
 * beyond {@code AnthropicGatewayTest}: every stop reason, images, tool choice variants and the
 * parallel flag, instructions anywhere in the conversation, empty text never sent to Anthropic,
 * thinking as {@code reasoning_content}, several tool calls in a whole answer, and errors in
 * OpenAI's shape (Anthropic's 529 is a 503 to an OpenAI client), from this upstream and from an
 * OpenAI one.
 */
@Timeout(60)
class OpenAiClientToAnthropicTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static FakeAnthropicServer anthropic;
  private static FakeOpenAiServer openai;
  private static TestGateway gateway;
  private static String key;

  @BeforeAll
  static void start() {
    anthropic = FakeAnthropicServer.start();
    openai = new FakeOpenAiServer();
    gateway = TestGateway.start("""
        pipeline: { off: [ arranger, canonicalizer, cache_injector ] }   # translation alone, unchanged by the pipeline
        providers:
          - { name: claude, type: anthropic, base_url: "%s", api_key: sk-ant }
          - { name: oai, type: openai, base_url: "%s", api_key: sk-oai }
        models:
          - { name: m-ant, targets: [ { provider: claude, model: claude-up } ] }
          - { name: m-oai, targets: [ { provider: oai, model: gpt-4o-up } ] }
        """.formatted(anthropic.baseUrl(), openai.baseUrl()));
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

  private static HttpResponse<String> chat(String body) {
    return gateway.post("/v1/chat/completions", key, body);
  }

  private static String simple(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
  }

  private static void okReply() {
    anthropic.replyJson(200, message("msg_ok", "end_turn", "[{\"type\":\"text\",\"text\":\"ok\"}]", usage(3, 1, 0, 0)));
  }

  @ParameterizedTest
  @CsvSource({"end_turn,stop", "stop_sequence,stop", "max_tokens,length", "tool_use,tool_calls",
      "refusal,content_filter", "pause_turn,stop", "model_context_window_exceeded,length"})
  void everyStopReasonBecomesAFinishReason(String stopReason, String finishReason) throws Exception {
    anthropic.replyJson(200, message("msg_s", stopReason, "[{\"type\":\"text\",\"text\":\"x\"}]", usage(3, 1, 0, 0)));
    JsonNode whole = JSON.readTree(chat(simple("m-ant", false)).body());
    assertThat(whole.path("choices").get(0).path("finish_reason").asText()).isEqualTo(finishReason);

    anthropic.replyEvents(List.of(messageStart("msg_s", usage(3, 1, 0, 0)), textBlockStart(0), textDelta(0, "x"),
        blockStop(0), messageDelta(stopReason, "{\"output_tokens\":1}"), messageStop()));
    List<JsonNode> chunks = chunks(chat(simple("m-ant", true)).body());
    List<String> finishes = new ArrayList<>();
    chunks.forEach(c -> {
      if (c.path("choices").path(0).path("finish_reason").isTextual()) {
        finishes.add(c.path("choices").path(0).path("finish_reason").asText());
      }
    });
    assertThat(finishes).containsExactly(finishReason);
  }

  @Test
  void imagesInstructionsStopSequencesAndEmptyText() throws Exception {
    okReply();

    HttpResponse<String> response = chat("""
        {"model":"m-ant","max_completion_tokens":50,"stop":["END","DONE"],"messages":[
          {"role":"system","content":"Be brief."},
          {"role":"system","content":""},
          {"role":"user","content":[{"type":"text","text":""},{"type":"text","text":"Look at these"},
            {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ","detail":"high"}},
            {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]},
          {"role":"assistant","content":"","tool_calls":[
            {"id":"call_1","type":"function","function":{"name":"zoom","arguments":"{\\"x\\":1}"}}]},
          {"role":"tool","tool_call_id":"call_1","content":""},
          {"role":"developer","content":"Answer in French."},
          {"role":"user","content":"Describe"}]}
        """);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode sent = anthropic.last().body();
    assertThat(sent.path("system")).isEqualTo(JSON.readTree("""
        [{"type":"text","text":"Be brief."},{"type":"text","text":"Answer in French."}]
        """));
    assertThat(sent.path("messages")).isEqualTo(JSON.readTree("""
        [{"role":"user","content":[{"type":"text","text":"Look at these"},
           {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}},
           {"type":"image","source":{"type":"url","url":"https://example.com/cat.png"}}]},
         {"role":"assistant","content":[{"type":"tool_use","id":"call_1","name":"zoom","input":{"x":1}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1"},{"type":"text","text":"Describe"}]}]
        """));
    assertThat(sent.path("stop_sequences")).isEqualTo(JSON.readTree("[\"END\",\"DONE\"]"));
    assertThat(sent.path("max_tokens").asInt()).isEqualTo(50);
    assertThat(sent.has("stop")).isFalse();
    assertThat(sent.has("max_completion_tokens")).isFalse();
    assertNoEmptyText(sent);
  }

  private static void assertNoEmptyText(JsonNode node) {
    if (node.isObject()) {
      if ("text".equals(node.path("type").asText())) {
        assertThat(node.path("text").asText()).as("an empty text block reached Anthropic").isNotEmpty();
      }
      node.forEach(OpenAiClientToAnthropicTest::assertNoEmptyText);
    } else if (node.isArray()) {
      node.forEach(OpenAiClientToAnthropicTest::assertNoEmptyText);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"auto\"|true|{\"type\":\"auto\"}",
      "\"auto\"|false|{\"type\":\"auto\",\"disable_parallel_tool_use\":true}",
      "\"required\"|true|{\"type\":\"any\"}",
      "\"required\"|false|{\"type\":\"any\",\"disable_parallel_tool_use\":true}",
      "\"none\"|false|{\"type\":\"none\"}",
      "{\"type\":\"function\",\"function\":{\"name\":\"zoom\"}}|true|{\"type\":\"tool\",\"name\":\"zoom\"}",
      "{\"type\":\"function\",\"function\":{\"name\":\"zoom\"}}|false|"
          + "{\"type\":\"tool\",\"name\":\"zoom\",\"disable_parallel_tool_use\":true}"})
  void toolChoiceVariantsAndTheParallelFlag(String choice, boolean parallel, String expected) throws Exception {
    okReply();

    chat("{\"model\":\"m-ant\",\"tool_choice\":" + choice + ",\"parallel_tool_calls\":" + parallel
        + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"zoom\",\"strict\":true,"
        + "\"parameters\":{\"type\":\"object\"}}}],\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");

    JsonNode sent = anthropic.last().body();
    assertThat(sent.path("tool_choice")).isEqualTo(JSON.readTree(expected));
    assertThat(sent.path("tools")).isEqualTo(JSON.readTree(
        "[{\"name\":\"zoom\",\"input_schema\":{\"type\":\"object\"}}]"));
    assertThat(sent.has("parallel_tool_calls")).isFalse();
  }

  @Test
  void parallelFlagWithoutAChoiceStillReachesAnthropic() throws Exception {
    okReply();

    chat("{\"model\":\"m-ant\",\"parallel_tool_calls\":false,\"tools\":[{\"type\":\"function\",\"function\":"
        + "{\"name\":\"zoom\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}");

    assertThat(anthropic.last().body().path("tool_choice"))
        .isEqualTo(JSON.readTree("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}"));
    assertThat(anthropic.last().body().path("tools").get(0).path("input_schema"))
        .isEqualTo(JSON.readTree("{\"type\":\"object\",\"properties\":{}}"));
  }

  @Test
  void thinkingBecomesReasoningContentAndParallelToolUsesBecomeToolCalls() throws Exception {
    anthropic.replyJson(200, message("msg_t", "tool_use", """
        [{"type":"thinking","thinking":"Two cities.","signature":"sig=="},
         {"type":"redacted_thinking","data":"opaque"},
         {"type":"text","text":"Checking both."},
         {"type":"tool_use","id":"toolu_a","name":"get_weather","input":{"city":"Paris"}},
         {"type":"tool_use","id":"toolu_b","name":"get_weather","input":{"city":"Rome"}}]
        """, usage(10, 30, 5, 7)));

    JsonNode body = JSON.readTree(chat(simple("m-ant", false)).body());

    JsonNode message = body.path("choices").get(0).path("message");
    assertThat(message.path("reasoning_content").asText()).isEqualTo("Two cities.");
    assertThat(message.path("content").asText()).isEqualTo("Checking both.");
    assertThat(message.path("tool_calls")).hasSize(2);
    assertThat(message.path("tool_calls").get(0).path("id").asText()).isEqualTo("toolu_a");
    assertThat(message.path("tool_calls").get(1).path("id").asText()).isEqualTo("toolu_b");
    assertThat(JSON.readTree(message.path("tool_calls").get(1).path("function").path("arguments").asText()))
        .isEqualTo(JSON.readTree("{\"city\":\"Rome\"}"));
    assertThat(body.path("choices").get(0).path("finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(body.path("usage")).isEqualTo(JSON.readTree("""
        {"prompt_tokens":22,"completion_tokens":30,"total_tokens":52,
         "prompt_tokens_details":{"cached_tokens":7,"cache_write_tokens":5}}
        """));
  }

  @Test
  void streamedThinkingBecomesReasoningContentDeltas() throws Exception {
    anthropic.replyEvents(List.of(
        messageStart("msg_st", usage(10, 1, 0, 0)),
        event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
            + "\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}"),
        event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Hmm, \"}}"),
        event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"easy.\"}}"),
        event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig\"}}"),
        blockStop(0),
        textBlockStart(1), textDelta(1, "Answer"), blockStop(1),
        messageDelta("end_turn", "{\"output_tokens\":9}"), messageStop()));

    List<JsonNode> chunks = chunks(chat(simple("m-ant", true)).body());

    StringBuilder reasoning = new StringBuilder();
    StringBuilder content = new StringBuilder();
    for (JsonNode c : chunks) {
      JsonNode delta = c.path("choices").path(0).path("delta");
      reasoning.append(delta.path("reasoning_content").asText(""));
      content.append(delta.path("content").asText(""));
      assertThat(delta.has("signature")).isFalse();
    }
    assertThat(reasoning.toString()).isEqualTo("Hmm, easy.");
    assertThat(content.toString()).isEqualTo("Answer");
  }

  // errors: an OpenAI client, either upstream

  @ParameterizedTest(name = "anthropic {0} -> {1}")
  @CsvSource({"400,400,invalid_request_error", "401,502,upstream_error", "429,429,rate_limit_error",
      "500,502,upstream_error", "503,503,upstream_error", "529,503,upstream_error"})
  void anthropicUpstreamErrorsInOpenAiShape(int upstream, int status, String type) throws Exception {
    anthropic.replyJson(upstream, FakeAnthropicServer.error(upstream == 529 ? "overloaded_error" : "api_error",
        "upstream says " + upstream), Map.of("retry-after", "7"));

    for (boolean stream : new boolean[] {false, true}) {
      HttpResponse<String> response = chat(simple("m-ant", stream));

      assertThat(response.statusCode()).isEqualTo(status);
      JsonNode error = JSON.readTree(response.body()).path("error");
      assertThat(error.path("type").asText()).isEqualTo(type);
      assertThat(error.path("message").asText()).contains("upstream says " + upstream);
      if (upstream == 429 || upstream == 503 || upstream == 529) {
        assertThat(response.headers().firstValue("retry-after")).hasValue("7");
      }
    }
  }

  @ParameterizedTest(name = "openai {0} -> {1}")
  @CsvSource({"400,400", "401,502", "404,404", "429,429", "500,502", "503,503"})
  void openAiUpstreamErrorsKeepOpenAiStatuses(int upstream, int status) throws Exception {
    openai.reply((req, resp) -> resp.setStatusCode(upstream).putHeader("content-type", "application/json")
        .putHeader("retry-after", "5")
        .end("{\"error\":{\"message\":\"upstream says " + upstream + "\",\"type\":\"x\",\"param\":null,\"code\":null}}"));

    HttpResponse<String> response = chat(simple("m-oai", false));

    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(JSON.readTree(response.body()).path("error").path("message").asText())
        .contains("upstream says " + upstream);
    if (upstream == 429 || upstream == 503) {
      assertThat(response.headers().firstValue("retry-after")).hasValue("5");
    }
  }

  private static List<JsonNode> chunks(String sse) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String block : sse.split("\n\n")) {
      if (block.startsWith("data: ") && !block.equals("data: [DONE]")) {
        JsonNode node = JSON.readTree(block.substring(6));
        if (!node.has("error")) {
          out.add(node);
        }
      }
    }
    assertThat(sse).endsWith("data: [DONE]\n\n");
    return out;
  }
}
