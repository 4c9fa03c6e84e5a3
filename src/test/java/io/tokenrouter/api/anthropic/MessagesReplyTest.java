package io.tokenrouter.api.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.billing.TokenEstimator;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link MessagesReply}: neutral reply events written as an Anthropic message, whole or as its event stream. */
@Timeout(30)
class MessagesReplyTest {
  private static MessagesApi api;
  private static ReplyHarness harness;

  @BeforeAll
  static void start() throws Exception {
    TokenEstimator tokens = new TokenEstimator();
    tokens.loadInBackground();
    tokens.ready().await(30, TimeUnit.SECONDS);
    api = new MessagesApi(tokens);
    harness = new ReplyHarness();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static Envelope request(boolean stream) {
    String body = "{\"model\":\"alias\",\"max_tokens\":100,\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say something about the weather today\"}]}";
    return api.read(body.getBytes(StandardCharsets.UTF_8), MultiMap.caseInsensitiveMultiMap());
  }

  private static final Usage FINAL = new Usage(100, 20, 40, 10, 4, 0, false);

  private static final List<ReplyEvent> ANSWER = List.of(
      new ReplyEvent.Start("msg_1", "gpt-up"),
      new ReplyEvent.BlockStart(0, BlockKind.THINKING, null, null),
      new ReplyEvent.ThinkingDelta(0, "Rea"),
      new ReplyEvent.ThinkingDelta(0, "son"),
      new ReplyEvent.SignatureDelta(0, "sig"),
      new ReplyEvent.BlockStop(0),
      new ReplyEvent.BlockStart(1, BlockKind.TEXT, null, null),
      new ReplyEvent.TextDelta(1, "Hel"),
      new ReplyEvent.TextDelta(1, "lo"),
      new ReplyEvent.BlockStop(1),
      new ReplyEvent.BlockStart(2, BlockKind.TOOL_USE, "call_a", "f"),
      new ReplyEvent.ToolInputDelta(2, "{\"a\":"),
      new ReplyEvent.ToolInputDelta(2, "1}"),
      new ReplyEvent.BlockStop(2),
      new ReplyEvent.BlockStart(3, BlockKind.TOOL_USE, "call_b", "g"),
      new ReplyEvent.ToolInputDelta(3, "not json"),
      new ReplyEvent.BlockStop(3),
      new ReplyEvent.Stop(StopReason.STOP_SEQUENCE, "END"),
      new ReplyEvent.UsageReport(FINAL));

  private static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s);
  }

  @Test
  void wholeMessage() throws Exception {
    HttpResponse<String> r = harness.render(api, request(false), "gpt-up", ANSWER, null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r.body())).isEqualTo(json("""
        {"id":"msg_1","type":"message","role":"assistant","model":"gpt-up",
         "content":[{"type":"thinking","thinking":"Reason","signature":"sig"},
                    {"type":"text","text":"Hello"},
                    {"type":"tool_use","id":"call_a","name":"f","input":{"a":1}},
                    {"type":"tool_use","id":"call_b","name":"g","input":{}}],
         "stop_reason":"stop_sequence","stop_sequence":"END",
         "usage":{"input_tokens":50,"cache_creation_input_tokens":10,"cache_read_input_tokens":40,
                  "cache_creation":{"ephemeral_5m_input_tokens":6,"ephemeral_1h_input_tokens":4},"output_tokens":20}}
        """));
    assertThat(r.body()).doesNotContain("citations").doesNotContain("null,\"");
  }

  @Test
  void wholeMessageWithNothingInIt() throws Exception {
    JsonNode body = json(harness.render(api, request(false), "target", List.of(), null).body());
    assertThat(body.path("id").asText()).isEqualTo("msg_" + ReplyHarness.REQUEST_ID);
    assertThat(body.path("model").asText()).isEqualTo("target");
    assertThat(body.path("content")).isEmpty();
    assertThat(body.path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(body.path("usage").path("output_tokens").asInt()).isZero();
  }

  @ParameterizedTest
  @CsvSource({"END_TURN,end_turn", "MAX_TOKENS,max_tokens", "STOP_SEQUENCE,stop_sequence", "TOOL_USE,tool_use",
      "REFUSAL,refusal", "PAUSE_TURN,pause_turn", "CONTEXT_WINDOW,model_context_window_exceeded"})
  void stopReasons(StopReason reason, String stopReason) throws Exception {
    assertThat(json(harness.render(api, request(false), "m", List.of(new ReplyEvent.Stop(reason, null)), null).body())
        .path("stop_reason").asText()).isEqualTo(stopReason);
  }

  @Test
  void streamWithUsageOnlyAtTheEnd() throws Exception {
    HttpResponse<String> r = harness.render(api, request(true), "gpt-up", ANSWER, null);

    assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
    List<String[]> events = events(r.body());
    assertThat(events.stream().map(e -> e[0]).toList()).containsExactly("message_start",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop");
    for (String[] e : events) {
      assertThat(json(e[1]).path("type").asText()).isEqualTo(e[0]);
    }
    JsonNode start = json(events.getFirst()[1]).path("message");
    assertThat(start.path("id").asText()).isEqualTo("msg_1");
    assertThat(start.path("content")).isEmpty();
    assertThat(start.path("stop_reason").isNull()).isTrue();
    // no usage yet: the prompt is estimated, never shown as 0
    assertThat(start.path("usage").path("input_tokens").asInt()).isPositive();
    assertThat(start.path("usage").path("output_tokens").asInt()).isZero();
    assertThat(json(events.get(1)[1]).path("content_block")).isEqualTo(json(
        "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}"));
    assertThat(json(events.get(4)[1]).path("delta")).isEqualTo(json(
        "{\"type\":\"signature_delta\",\"signature\":\"sig\"}"));
    assertThat(json(events.get(10)[1]).path("content_block")).isEqualTo(json(
        "{\"type\":\"tool_use\",\"id\":\"call_a\",\"name\":\"f\",\"input\":{}}"));
    assertThat(json(events.get(11)[1]).path("delta")).isEqualTo(json(
        "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":\"}"));
    JsonNode delta = json(events.get(events.size() - 2)[1]);
    assertThat(delta.path("delta")).isEqualTo(json("{\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\"END\"}"));
    assertThat(delta.path("usage").path("input_tokens").asInt()).isEqualTo(50);
    assertThat(delta.path("usage").path("cache_read_input_tokens").asInt()).isEqualTo(40);
    assertThat(delta.path("usage").path("output_tokens").asInt()).isEqualTo(20);
  }

  @Test
  void streamWithUsageBeforeTheFirstBlockStartsWithIt() throws Exception {
    List<String[]> events = events(harness.render(api, request(true), "m", List.of(
        new ReplyEvent.Start("msg_2", "m"), new ReplyEvent.UsageReport(new Usage(70, 1, 30, 20, false)),
        new ReplyEvent.BlockStart(0, BlockKind.TEXT, null, null), new ReplyEvent.TextDelta(0, "x"),
        new ReplyEvent.BlockStop(0), new ReplyEvent.Stop(StopReason.END_TURN, null),
        new ReplyEvent.UsageReport(new Usage(70, 9, 30, 20, false))), null).body());

    JsonNode usage = json(events.getFirst()[1]).path("message").path("usage");
    assertThat(usage).isEqualTo(json("""
        {"input_tokens":20,"cache_creation_input_tokens":20,"cache_read_input_tokens":30,"output_tokens":1}
        """));
    assertThat(json(events.get(events.size() - 2)[1]).path("usage").path("output_tokens").asInt()).isEqualTo(9);
  }

  @Test
  void anEmptyStreamIsStillAWholeMessage() {
    List<String[]> events = events(harness.render(api, request(true), "m", List.of(), null).body());
    assertThat(events.stream().map(e -> e[0]).toList()).containsExactly("message_start", "message_delta",
        "message_stop");
  }

  @Test
  void aFailedStreamEndsWithAnErrorEventInsteadOfMessageStop() throws Exception {
    GatewayError error = GatewayError.builder(GatewayError.Kind.UPSTREAM_OVERLOADED, 529, "upstream_overloaded",
        "Provider 'p' is overloaded").provider("p").build();
    List<String[]> events = events(harness.render(api, request(true), "m", List.of(new ReplyEvent.Start("x", "m"),
        new ReplyEvent.BlockStart(0, BlockKind.TEXT, null, null), new ReplyEvent.TextDelta(0, "Part")), error).body());

    assertThat(events.getLast()[0]).isEqualTo("error");
    assertThat(json(events.getLast()[1])).isEqualTo(json("""
        {"type":"error","error":{"type":"overloaded_error","message":"Provider 'p' is overloaded"}}"""));
    assertThat(events.stream().map(e -> e[0]).toList()).doesNotContain("message_stop", "message_delta");
  }

  @Test
  void theProvidersOwnBytesAreRelayedAsTheyAre() {
    String start = "{\"type\":\"message_start\",\"message\":{}}";
    HttpResponse<String> streamed = harness.render(api, request(true), "m", List.of(
        ReplyEvent.Raw.event("message_start", start.getBytes(StandardCharsets.UTF_8), false),
        ReplyEvent.Raw.event("future", "{\"type\":\"future\"}".getBytes(StandardCharsets.UTF_8), false)), null);
    assertThat(streamed.body()).isEqualTo("event: message_start\ndata: " + start
        + "\n\nevent: future\ndata: {\"type\":\"future\"}\n\n");

    String whole = "{\"id\":\"m\" , \"content\":[{\"type\":\"text\",\"text\":\"x\",\"citations\":[]}]}";
    assertThat(harness.render(api, request(false), "m", List.of(new ReplyEvent.Raw(null,
        whole.getBytes(StandardCharsets.UTF_8), true, null)), null).body()).isEqualTo(whole);
  }

  @Test
  void aWholeAnswerThatFailsKeepsAnthropicsStatus() throws Exception {
    GatewayError error = GatewayError.builder(GatewayError.Kind.UPSTREAM_OVERLOADED, 529, "upstream_overloaded",
        "Provider 'p' is overloaded").provider("p").build();
    HttpResponse<String> r = harness.render(api, request(false), "m", List.of(), error);

    assertThat(r.statusCode()).isEqualTo(529);
    assertThat(json(r.body()).path("error").path("type").asText()).isEqualTo("overloaded_error");
  }

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
