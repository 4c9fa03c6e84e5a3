package io.tokenrouter.provider.anthropic;

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

/** Anthropic's stream and message shapes, read into neutral reply events. */
class AnthropicStreamDecoderTest {
  private final AnthropicStreamDecoder decoder = new AnthropicStreamDecoder("claude");
  private final List<ReplyEvent> events = new ArrayList<>();

  private void send(String... data) {
    for (String d : data) {
      decoder.event(null, d.getBytes(StandardCharsets.UTF_8), events::add);
    }
  }

  private List<Usage> usages() {
    return events.stream().filter(e -> e instanceof ReplyEvent.UsageReport).map(e -> ((ReplyEvent.UsageReport) e).usage())
        .toList();
  }

  @Test
  void textStreamBecomesOneTextBlockWithItsStopAndUsage() {
    send("{\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"model\":\"claude-x\",\"usage\":"
            + "{\"input_tokens\":10,\"output_tokens\":4,\"cache_read_input_tokens\":5,\"cache_creation_input_tokens\":2}}}",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"hey\"}}",
        "{\"type\":\"content_block_stop\",\"index\":0}",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}",
        "{\"type\":\"message_stop\"}");
    decoder.end(events::add);

    assertThat(events).containsExactly(
        new ReplyEvent.Start("m1", "claude-x"),
        new ReplyEvent.UsageReport(new Usage(17, 4, 5, 2, false)),
        new ReplyEvent.BlockStart(0, BlockKind.TEXT, null, null),
        new ReplyEvent.TextDelta(0, "hey"),
        new ReplyEvent.BlockStop(0),
        new ReplyEvent.Stop(StopReason.END_TURN, null));
  }

  @Test
  void usageFromMessageDeltaIsCumulativeAndWins() {
    send("{\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},"
            + "\"usage\":{\"input_tokens\":10,\"output_tokens\":30,\"cache_read_input_tokens\":100}}",
        "{\"type\":\"message_stop\"}");

    assertThat(usages().getLast()).isEqualTo(new Usage(110, 30, 100, 0, false));
    assertThat(events).contains(new ReplyEvent.Stop(StopReason.MAX_TOKENS, null));
  }

  @Test
  void oneHourCacheWritesAreKeptApart() {
    send("{\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"usage\":{\"input_tokens\":3,\"output_tokens\":1,"
        + "\"cache_creation_input_tokens\":50,\"cache_creation\":{\"ephemeral_5m_input_tokens\":20,"
        + "\"ephemeral_1h_input_tokens\":30}}}}");

    assertThat(usages().getLast()).isEqualTo(new Usage(53, 1, 0, 50, 30, 0, false));
  }

  @Test
  void aStreamThatEndsBeforeMessageStopIsABadResponse() {
    send("{\"type\":\"message_start\",\"message\":{\"id\":\"m1\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}");

    assertThatThrownBy(() -> decoder.end(events::add)).isInstanceOfSatisfying(GatewayError.class,
        e -> assertThat(e.code()).isEqualTo("upstream_bad_response"));
  }

  @Test
  void anErrorEventFailsTheStreamWithTheProvidersReason() {
    send("{\"type\":\"message_start\",\"message\":{\"id\":\"m1\"}}");

    assertThatThrownBy(() -> send("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"))
        .isInstanceOfSatisfying(GatewayError.class, e -> {
          assertThat(e.kind()).isEqualTo(GatewayError.Kind.UPSTREAM_OVERLOADED);
          assertThat(e.getMessage()).contains("overloaded_error").contains("Overloaded");
        });
  }

  @Test
  void theEventNameIsUsedWhenTheDataCarriesNoType() {
    decoder.event("message_start", "{\"message\":{\"id\":\"m9\"}}".getBytes(StandardCharsets.UTF_8), events::add);
    decoder.event("message_stop", "{}".getBytes(StandardCharsets.UTF_8), events::add);
    decoder.end(events::add);

    assertThat(events.getFirst()).isEqualTo(new ReplyEvent.Start("m9", null));
  }

  @Test
  void aToolInputSentWholeInTheStartEventIsStillDelivered() {
    send("{\"type\":\"message_start\",\"message\":{\"id\":\"m1\"}}",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
            + "{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\",\"input\":{\"q\":1}}}",
        "{\"type\":\"content_block_stop\",\"index\":0}",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"}}",
        "{\"type\":\"message_stop\"}");

    assertThat(events).containsSubsequence(
        new ReplyEvent.BlockStart(0, BlockKind.TOOL_USE, "t1", "f"),
        new ReplyEvent.ToolInputDelta(0, "{\"q\":1}"),
        new ReplyEvent.BlockStop(0),
        new ReplyEvent.Stop(StopReason.TOOL_USE, null));
  }

  @Test
  void thinkingKeepsItsSignature() {
    send("{\"type\":\"message_start\",\"message\":{\"id\":\"m1\"}}",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Hmm.\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"abc\"}}",
        "{\"type\":\"content_block_stop\",\"index\":0}");

    assertThat(events).containsSubsequence(new ReplyEvent.BlockStart(0, BlockKind.THINKING, null, null),
        new ReplyEvent.ThinkingDelta(0, "Hmm."), new ReplyEvent.SignatureDelta(0, "abc"), new ReplyEvent.BlockStop(0));
  }

  @Test
  void unknownBlocksAndEventsAreSkippedAndLaterBlocksKeepTheirOrder() {
    send("{\"type\":\"message_start\",\"message\":{\"id\":\"m1\"}}",
        "{\"type\":\"some_future_event\",\"x\":1}",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"server_tool_use\",\"id\":\"s\"}}",
        "{\"type\":\"content_block_stop\",\"index\":0}",
        "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
        "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"after\"}}");

    assertThat(events).containsSubsequence(new ReplyEvent.BlockStart(0, BlockKind.TEXT, null, null),
        new ReplyEvent.TextDelta(0, "after"));
  }

  @Test
  void aWholeMessageIsTheSameSequenceAtOnce() {
    decoder.body(("{\"id\":\"msg_1\",\"type\":\"message\",\"model\":\"claude-x\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"Let me check.\"},"
        + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Paris\"}}],"
        + "\"stop_reason\":\"tool_use\",\"usage\":{\"input_tokens\":5,\"output_tokens\":9}}")
        .getBytes(StandardCharsets.UTF_8), events::add);

    assertThat(events).containsExactly(
        new ReplyEvent.Start("msg_1", "claude-x"),
        new ReplyEvent.BlockStart(0, BlockKind.TEXT, null, null),
        new ReplyEvent.TextDelta(0, "Let me check."),
        new ReplyEvent.BlockStop(0),
        new ReplyEvent.BlockStart(1, BlockKind.TOOL_USE, "toolu_1", "get_weather"),
        new ReplyEvent.ToolInputDelta(1, "{\"city\":\"Paris\"}"),
        new ReplyEvent.BlockStop(1),
        new ReplyEvent.Stop(StopReason.TOOL_USE, null),
        new ReplyEvent.UsageReport(new Usage(5, 9, 0, 0, false)));
  }

  @Test
  void aReplyThatIsNotJsonIsABadResponse() {
    assertThatThrownBy(() -> decoder.body("{\"id\":\"msg_1\",\"content\":[".getBytes(StandardCharsets.UTF_8),
        events::add)).isInstanceOfSatisfying(GatewayError.class,
        e -> assertThat(e.code()).isEqualTo("upstream_bad_response"));
  }
}
