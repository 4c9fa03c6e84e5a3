package io.tokenrouter.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.ReplyEvent;
import io.tokenrouter.reply.ReplyEvent.BlockKind;
import io.tokenrouter.reply.StopReason;
import io.tokenrouter.reply.Usage;
import io.tokenrouter.support.ReplyHarness;
import io.vertx.core.MultiMap;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link ChatReply}: neutral reply events written as a chat completion, whole or as chunks. */
@Timeout(30)
class ChatReplyTest {
  private static final ChatCompletionsApi API = new ChatCompletionsApi();
  private static ReplyHarness harness;

  @BeforeAll
  static void start() {
    harness = new ReplyHarness();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static Envelope request(boolean stream, boolean includeUsage) {
    String body = "{\"model\":\"alias\",\"stream\":" + stream
        + (includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : "")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    return API.read(body.getBytes(StandardCharsets.UTF_8), MultiMap.caseInsensitiveMultiMap());
  }

  private static final List<ReplyEvent> TOOLS_ANSWER = List.of(
      new ReplyEvent.Start("msg_1", "claude-x"),
      new ReplyEvent.UsageReport(new Usage(100, 1, 40, 10, false)),
      new ReplyEvent.BlockStart(0, BlockKind.THINKING, null, null),
      new ReplyEvent.ThinkingDelta(0, "Reason"),
      new ReplyEvent.SignatureDelta(0, "sig"),
      new ReplyEvent.BlockStop(0),
      new ReplyEvent.BlockStart(1, BlockKind.TEXT, null, null),
      new ReplyEvent.TextDelta(1, "Hel"),
      new ReplyEvent.TextDelta(1, "lo"),
      new ReplyEvent.BlockStop(1),
      new ReplyEvent.BlockStart(2, BlockKind.TOOL_USE, "toolu_a", "f"),
      new ReplyEvent.ToolInputDelta(2, "{\"a\":"),
      new ReplyEvent.ToolInputDelta(2, "1}"),
      new ReplyEvent.BlockStop(2),
      new ReplyEvent.BlockStart(3, BlockKind.TOOL_USE, "toolu_b", "g"),
      new ReplyEvent.ToolInputDelta(3, "{}"),
      new ReplyEvent.BlockStop(3),
      new ReplyEvent.Stop(StopReason.TOOL_USE, null),
      new ReplyEvent.UsageReport(new Usage(100, 20, 40, 10, 0, 5, false)));

  private static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s);
  }

  @Test
  void wholeAnswer() throws Exception {
    HttpResponse<String> r = harness.render(API, request(false, false), "claude-x", TOOLS_ANSWER, null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    ObjectNode body = (ObjectNode) json(r.body());
    assertThat(body.remove("created").isIntegralNumber()).isTrue();
    assertThat(body).isEqualTo(json("""
        {"id":"msg_1","object":"chat.completion","model":"claude-x",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hello","reasoning_content":"Reason",
           "tool_calls":[{"id":"toolu_a","type":"function","function":{"name":"f","arguments":"{\\"a\\":1}"}},
                         {"id":"toolu_b","type":"function","function":{"name":"g","arguments":"{}"}}]},
           "logprobs":null,"finish_reason":"tool_calls"}],
         "usage":{"prompt_tokens":100,"completion_tokens":20,"total_tokens":120,
           "prompt_tokens_details":{"cached_tokens":40,"cache_write_tokens":10},
           "completion_tokens_details":{"reasoning_tokens":5}}}
        """));
  }

  @Test
  void wholeAnswerWithoutTextOrProviderIdsOrUsage() throws Exception {
    HttpResponse<String> r = harness.render(API, request(false, false), "target-model", List.of(
        new ReplyEvent.BlockStart(0, BlockKind.TOOL_USE, "t", "f"), new ReplyEvent.BlockStop(0),
        new ReplyEvent.Stop(StopReason.TOOL_USE, null)), null);

    JsonNode body = json(r.body());
    assertThat(body.path("id").asText()).isEqualTo("chatcmpl-" + ReplyHarness.REQUEST_ID);
    assertThat(body.path("model").asText()).isEqualTo("target-model");
    JsonNode message = body.path("choices").get(0).path("message");
    assertThat(message.path("content").isNull()).isTrue();
    assertThat(message.has("reasoning_content")).isFalse();
    assertThat(message.path("tool_calls").get(0).path("function").path("arguments").asText()).isEmpty();
    assertThat(body.has("usage")).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"END_TURN,stop", "STOP_SEQUENCE,stop", "PAUSE_TURN,stop", "MAX_TOKENS,length", "CONTEXT_WINDOW,length",
      "TOOL_USE,tool_calls", "REFUSAL,content_filter"})
  void stopReasons(StopReason reason, String finish) throws Exception {
    HttpResponse<String> r = harness.render(API, request(false, false), "m", List.of(new ReplyEvent.Stop(reason, null)),
        null);
    assertThat(json(r.body()).path("choices").get(0).path("finish_reason").asText()).isEqualTo(finish);
  }

  @Test
  void streamedAnswerWithUsageChunkWhenAsked() throws Exception {
    HttpResponse<String> r = harness.render(API, request(true, true), "claude-x", TOOLS_ANSWER, null);

    assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
    List<String> data = data(r.body());
    assertThat(data.getLast()).isEqualTo("[DONE]");
    List<JsonNode> chunks = new ArrayList<>();
    for (String d : data.subList(0, data.size() - 1)) {
      chunks.add(json(d));
    }
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(c.path("id").asText()).isEqualTo("msg_1");
    });
    List<JsonNode> deltas = chunks.subList(0, chunks.size() - 1).stream()
        .map(c -> c.path("choices").get(0).path("delta")).toList();
    assertThat(deltas.getFirst()).isEqualTo(json("{\"role\":\"assistant\",\"content\":\"\"}"));
    assertThat(deltas.get(1)).isEqualTo(json("{\"reasoning_content\":\"Reason\"}"));
    assertThat(deltas.get(2)).isEqualTo(json("{\"content\":\"Hel\"}"));
    assertThat(deltas.get(3)).isEqualTo(json("{\"content\":\"lo\"}"));
    assertThat(deltas.get(4)).isEqualTo(json("""
        {"tool_calls":[{"index":0,"id":"toolu_a","type":"function","function":{"name":"f","arguments":""}}]}"""));
    assertThat(deltas.get(5)).isEqualTo(json("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\":\"}}]}"));
    assertThat(deltas.get(7).path("tool_calls").get(0).path("index").asInt()).isEqualTo(1);
    JsonNode finish = chunks.get(chunks.size() - 2).path("choices").get(0);
    assertThat(finish.path("finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(finish.path("delta")).isEmpty();
    JsonNode usage = chunks.getLast();
    assertThat(usage.path("choices")).isEmpty();
    assertThat(usage.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(40);
    assertThat(chunks.subList(0, chunks.size() - 1)).noneMatch(c -> c.has("usage"));
  }

  @Test
  void streamedAnswerWithoutUsageChunkWhenNotAsked() throws Exception {
    List<String> data = data(harness.render(API, request(true, false), "m", TOOLS_ANSWER, null).body());
    assertThat(data.getLast()).isEqualTo("[DONE]");
    assertThat(data).noneMatch(d -> d.contains("\"usage\""));
  }

  @Test
  void aStreamThatFailsClosesTheChoiceThenSaysWhyThenDone() throws Exception {
    GatewayError error = GatewayError.builder(GatewayError.Kind.UPSTREAM_OVERLOADED, 529, "upstream_overloaded",
        "Provider 'p' is overloaded").provider("p").build();
    List<String> data = data(harness.render(API, request(true, false), "m", List.of(
        new ReplyEvent.Start("x", "m"), new ReplyEvent.BlockStart(0, BlockKind.TEXT, null, null),
        new ReplyEvent.TextDelta(0, "Part")), error).body());

    assertThat(data.getLast()).isEqualTo("[DONE]");
    JsonNode failure = json(data.get(data.size() - 2));
    assertThat(failure.path("error").path("code").asText()).isEqualTo("upstream_overloaded");
    assertThat(json(data.get(data.size() - 3)).path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void theProvidersOwnBytesAreRelayedAsTheyAre() throws Exception {
    String chunk = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}";
    HttpResponse<String> streamed = harness.render(API, request(true, false), "m",
        List.of(ReplyEvent.Raw.event(null, chunk.getBytes(StandardCharsets.UTF_8), true)), null);
    assertThat(streamed.body()).isEqualTo("data: " + chunk + "\n\ndata: [DONE]\n\n");

    String whole = "{\"id\":\"c\",  \"object\":\"chat.completion\",\"x_vendor\":1}";
    HttpResponse<String> plain = harness.render(API, request(false, false), "m",
        List.of(new ReplyEvent.Raw(null, whole.getBytes(StandardCharsets.UTF_8), true, null)), null);
    assertThat(plain.body()).isEqualTo(whole);
  }

  @Test
  void aWholeAnswerThatFailsIsAnErrorInOpenAisShape() throws Exception {
    GatewayError error = GatewayError.builder(GatewayError.Kind.UPSTREAM_OVERLOADED, 529, "upstream_overloaded",
        "Provider 'p' is overloaded").provider("p").build();
    HttpResponse<String> r = harness.render(API, request(false, false), "m", List.of(), error);

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(json(r.body())).isEqualTo(json("""
        {"error":{"message":"Provider 'p' is overloaded","type":"upstream_error","param":null,"code":"upstream_overloaded"}}
        """));
  }

  private static List<String> data(String sse) {
    List<String> out = new ArrayList<>();
    for (String block : sse.split("\n\n")) {
      if (block.startsWith("data: ")) {
        out.add(block.substring(6));
      }
    }
    return out;
  }
}
