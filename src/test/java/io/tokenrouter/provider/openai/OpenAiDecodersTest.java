package io.tokenrouter.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.ReplyEvent;
import io.tokenrouter.reply.ReplyEvent.BlockKind;
import io.tokenrouter.reply.StopReason;
import io.tokenrouter.reply.Usage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link OpenAiChatDecoder} (an OpenAI-format answer read into neutral events for a client of
 * another API) and {@link OpenAiRawDecoder} (relayed to an OpenAI-format client as it is, only
 * tapped for usage).
 */
class OpenAiDecodersTest {
  private final List<ReplyEvent> events = new ArrayList<>();

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String chunk(String delta, String finish) {
    return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt\",\"choices\":[{\"index\":0,\"delta\":"
        + delta + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}],\"usage\":null}";
  }

  private List<Usage> usages() {
    return events.stream().filter(e -> e instanceof ReplyEvent.UsageReport).map(e -> ((ReplyEvent.UsageReport) e)
        .usage()).toList();
  }

  // OpenAiChatDecoder

  @Test
  void wholeAnswerWithReasoningTextRefusalAndTools() {
    OpenAiChatDecoder decoder = new OpenAiChatDecoder("oai");
    decoder.body(b("""
        {"id":"c1","model":"gpt","choices":[{"index":0,"message":{"role":"assistant","reasoning_content":"R",
          "content":"T","tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":"{\\"a\\":1}"}},
          {"id":"t2","type":"function","function":{"name":"g","arguments":""}}]},"finish_reason":"tool_calls"}],
         "usage":{"prompt_tokens":100,"completion_tokens":20,"total_tokens":120,
          "prompt_tokens_details":{"cached_tokens":30,"cache_write_tokens":10},
          "completion_tokens_details":{"reasoning_tokens":5}}}
        """), events::add);

    assertThat(events).containsExactly(
        new ReplyEvent.Start("c1", "gpt"),
        new ReplyEvent.BlockStart(0, BlockKind.THINKING, null, null),
        new ReplyEvent.ThinkingDelta(0, "R"),
        new ReplyEvent.BlockStop(0),
        new ReplyEvent.BlockStart(1, BlockKind.TEXT, null, null),
        new ReplyEvent.TextDelta(1, "T"),
        new ReplyEvent.BlockStop(1),
        new ReplyEvent.BlockStart(2, BlockKind.TOOL_USE, "t1", "f"),
        new ReplyEvent.ToolInputDelta(2, "{\"a\":1}"),
        new ReplyEvent.BlockStop(2),
        new ReplyEvent.BlockStart(3, BlockKind.TOOL_USE, "t2", "g"),
        new ReplyEvent.BlockStop(3),
        new ReplyEvent.Stop(StopReason.TOOL_USE, null),
        new ReplyEvent.UsageReport(new Usage(100, 20, 30, 10, 0, 5, false)));
  }

  @Test
  void streamedChunksBecomeBlocksInOrder() {
    OpenAiChatDecoder decoder = new OpenAiChatDecoder("oai");
    for (String c : List.of(
        chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
        chunk("{\"reasoning\":\"think\"}", null),
        chunk("{\"content\":\"Hel\"}", null),
        chunk("{\"content\":\"lo\"}", null),
        chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"t1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}", null),
        chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\"\"}}]}", null),
        chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\":1}\"}}]}", null),
        chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"t2\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]}", null),
        chunk("{}", "tool_calls"),
        "{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,"
            + "\"prompt_cache_hit_tokens\":6,\"prompt_cache_miss_tokens\":3}}",
        "[DONE]",
        chunk("{\"content\":\"after done\"}", null))) {
      decoder.event(null, b(c), events::add);
    }
    decoder.end(events::add);

    assertThat(events).containsExactly(
        new ReplyEvent.Start("c1", "gpt"),
        new ReplyEvent.BlockStart(0, BlockKind.THINKING, null, null),
        new ReplyEvent.ThinkingDelta(0, "think"),
        new ReplyEvent.BlockStop(0),
        new ReplyEvent.BlockStart(1, BlockKind.TEXT, null, null),
        new ReplyEvent.TextDelta(1, "Hel"),
        new ReplyEvent.TextDelta(1, "lo"),
        new ReplyEvent.BlockStop(1),
        new ReplyEvent.BlockStart(2, BlockKind.TOOL_USE, "t1", "f"),
        new ReplyEvent.ToolInputDelta(2, "{\"a\""),
        new ReplyEvent.ToolInputDelta(2, ":1}"),
        new ReplyEvent.BlockStop(2),
        new ReplyEvent.BlockStart(3, BlockKind.TOOL_USE, "t2", "g"),
        new ReplyEvent.ToolInputDelta(3, "{}"),
        new ReplyEvent.BlockStop(3),
        new ReplyEvent.Stop(StopReason.TOOL_USE, null),
        new ReplyEvent.UsageReport(new Usage(9, 4, 6, 0, 0, 0, false)));
  }

  @ParameterizedTest
  @CsvSource({"stop,END_TURN", "length,MAX_TOKENS", "tool_calls,TOOL_USE", "function_call,TOOL_USE",
      "content_filter,REFUSAL", "something_new,END_TURN"})
  void finishReasons(String finish, StopReason reason) {
    assertThat(OpenAiChatDecoder.stopReason(finish)).isEqualTo(reason);
  }

  @Test
  void anErrorChunkAndAStreamWithoutFinishFail() {
    OpenAiChatDecoder decoder = new OpenAiChatDecoder("oai");
    decoder.event(null, b(chunk("{\"content\":\"x\"}", null)), events::add);
    assertThatThrownBy(() -> decoder.end(events::add)).isInstanceOfSatisfying(GatewayError.class,
        e -> assertThat(e.code()).isEqualTo("upstream_bad_response"));
    assertThatThrownBy(() -> decoder.event(null, b("{\"error\":{\"message\":\"boom\"}}"), events::add))
        .isInstanceOfSatisfying(GatewayError.class, e -> assertThat(e.getMessage()).contains("boom"));
    assertThatThrownBy(() -> new OpenAiChatDecoder("oai").body(b("{\"no\":\"choices\"}"), events::add))
        .isInstanceOf(GatewayError.class);
    assertThatThrownBy(() -> new OpenAiChatDecoder("oai").body(b("{not json"), events::add))
        .isInstanceOf(GatewayError.class);
  }

  // OpenAiRawDecoder

  @Test
  void rawWholeAnswerIsRelayedAsItIsWithItsUsage() {
    String body = "{\"id\":\"c\",\"choices\":[{\"message\":{\"content\":\"hi\"}}],"
        + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"prompt_tokens_details\":{\"cached_tokens\":1}}}";
    new OpenAiRawDecoder("oai", false).body(b(body), events::add);

    assertThat(events).hasSize(2);
    ReplyEvent.Raw raw = (ReplyEvent.Raw) events.getFirst();
    assertThat(raw.data()).isEqualTo(b(body));
    assertThat(raw.output()).isTrue();
    assertThat(raw.text()).isNull();
    assertThat(usages()).containsExactly(new Usage(5, 2, 1, 0, 0, 0, false));
  }

  @Test
  void rawWholeAnswerWithoutUsageCarriesItsTextForTheEstimate() {
    new OpenAiRawDecoder("oai", false).body(b("{\"choices\":[{\"message\":{\"content\":\"hello\"}}]}"), events::add);
    assertThat(((ReplyEvent.Raw) events.getFirst()).text()).isEqualTo("hello");
    assertThat(usages()).isEmpty();
    assertThatThrownBy(() -> new OpenAiRawDecoder("oai", false).body(b("{} trailing"), events::add))
        .isInstanceOf(GatewayError.class);
  }

  @Test
  void rawStreamHidesWhatTheClientDidNotAskFor() {
    OpenAiRawDecoder decoder = new OpenAiRawDecoder("oai", false);
    String first = chunk("{\"content\":\"hi\"}", null);
    String usage = "{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}";
    for (String c : List.of(first, chunk("{}", "stop"), usage, "[DONE]")) {
      decoder.event(null, b(c), events::add);
    }
    decoder.end(events::add);

    List<ReplyEvent.Raw> raws = events.stream().filter(e -> e instanceof ReplyEvent.Raw).map(e -> (ReplyEvent.Raw) e)
        .toList();
    assertThat(raws).hasSize(2);
    assertThat(new String(raws.get(0).data(), StandardCharsets.UTF_8)).isEqualTo(first.replace(",\"usage\":null", ""));
    assertThat(raws.get(0).output()).isTrue();
    assertThat(raws.get(1).output()).isFalse();
    assertThat(usages()).containsExactly(new Usage(3, 1, 0, 0, 0, 0, false));
  }

  @Test
  void rawStreamKeepsEverythingWhenTheClientAskedForUsage() {
    OpenAiRawDecoder decoder = new OpenAiRawDecoder("oai", true);
    List<String> sent = List.of(chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"t\"}]}", null), chunk("{}", "stop"),
        "{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}");
    sent.forEach(c -> decoder.event(null, b(c), events::add));
    decoder.event(null, b("[DONE]"), events::add);

    List<String> raws = events.stream().filter(e -> e instanceof ReplyEvent.Raw)
        .map(e -> new String(((ReplyEvent.Raw) e).data(), StandardCharsets.UTF_8)).toList();
    assertThat(raws).isEqualTo(sent);
    assertThat(((ReplyEvent.Raw) events.getFirst()).output()).isTrue();
  }

  @Test
  void rawStreamCutsOnlyTheRealNullUsageWhenTheTextQuotesOne() {
    // the text quotes "usage":null and "usage":{, escaped inside its JSON string: neither is the field
    String sent = chunk("{\"content\":\"say \\\"usage\\\":null or \\\"usage\\\":{\"}", null);
    new OpenAiRawDecoder("oai", false).event(null, b(sent), events::add);

    ReplyEvent.Raw raw = (ReplyEvent.Raw) events.getFirst();
    assertThat(new String(raw.data(), StandardCharsets.UTF_8))
        .isEqualTo(sent.substring(0, sent.length() - ",\"usage\":null}".length()) + "}");
    assertThat(usages()).isEmpty();
  }

  @Test
  void rawStreamCutsTheNullUsageAtTheRightBytesAfterNonAsciiText() {
    String sent = chunk("{\"content\":\"h\u00e9llo w\u00f6rld \u2014 \u4f60\u597d \ud83d\ude00\"}", null);
    new OpenAiRawDecoder("oai", false).event(null, b(sent), events::add);

    ReplyEvent.Raw raw = (ReplyEvent.Raw) events.getFirst();
    assertThat(new String(raw.data(), StandardCharsets.UTF_8)).isEqualTo(sent.replace(",\"usage\":null", ""));
    assertThat(raw.output()).isTrue();
  }

  @Test
  void rawStreamErrorsAndTruncation() {
    OpenAiRawDecoder decoder = new OpenAiRawDecoder("oai", false);
    decoder.event(null, b(chunk("{\"content\":\"x\"}", null)), events::add);
    assertThatThrownBy(() -> decoder.end(events::add)).isInstanceOf(GatewayError.class);
    assertThatThrownBy(() -> decoder.event(null, b("{\"error\":{\"message\":\"quota\"}}"), events::add))
        .isInstanceOfSatisfying(GatewayError.class, e -> assertThat(e.getMessage()).contains("quota"));
    OpenAiRawDecoder done = new OpenAiRawDecoder("oai", false);
    done.event(null, b("[DONE]"), events::add);
    done.end(events::add);
  }
}
