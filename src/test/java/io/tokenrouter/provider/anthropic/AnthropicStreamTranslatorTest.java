package io.tokenrouter.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.provider.ChunkSink;
import io.tokenrouter.provider.UpstreamException;
import io.tokenrouter.reply.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicStreamTranslatorTest {
  private static final int PROMPT_ESTIMATE = 77;

  /** Records what the translator hands the relay. */
  private static final class RecordingSink implements ChunkSink {
    final List<JsonNode> chunks = new ArrayList<>();
    final List<Boolean> content = new ArrayList<>();
    final List<Usage> usages = new ArrayList<>();
    final List<UpstreamException> errors = new ArrayList<>();

    @Override
    public void onChunk(Buffer json, boolean hasContent) {
      try {
        chunks.add(Json.MAPPER.readTree(json.getBytes()));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      content.add(hasContent);
    }

    @Override
    public void onEnd(Usage usage, UpstreamException error) {
      usages.add(usage);
      errors.add(error);
    }
  }

  private final RecordingSink sink = new RecordingSink();

  private AnthropicStreamTranslator translator(boolean wantsUsage) {
    return new AnthropicStreamTranslator("claude", "claude-x", wantsUsage, sink, () -> PROMPT_ESTIMATE);
  }

  private static void send(AnthropicStreamTranslator t, String... events) {
    for (String e : events) {
      t.onEvent(null, e.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Test
  void usageFromMessageStartOnlyIsExactWhenTheStreamCompletes() {
    AnthropicStreamTranslator t = translator(false);
    send(t, "{\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"model\":\"claude-x\",\"usage\":"
            + "{\"input_tokens\":10,\"output_tokens\":4,\"cache_read_input_tokens\":5,\"cache_creation_input_tokens\":2}}}",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"hey\"}}",
        "{\"type\":\"content_block_stop\",\"index\":0}",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}",
        "{\"type\":\"message_stop\"}");
    t.onClose(null);

    assertThat(sink.usages).containsExactly(new Usage(17, 4, 5, 2, false));
    assertThat(sink.errors).containsOnlyNulls();
    assertThat(sink.content).containsExactly(false, true, false);
  }

  @Test
  void usageFromMessageDeltaIsCumulativeAndWins() {
    AnthropicStreamTranslator t = translator(true);
    send(t, "{\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},"
            + "\"usage\":{\"input_tokens\":10,\"output_tokens\":30,\"cache_read_input_tokens\":100}}",
        "{\"type\":\"message_stop\"}");

    assertThat(sink.usages).containsExactly(new Usage(110, 30, 100, 0, false));
    JsonNode last = sink.chunks.getLast();
    assertThat(last.path("choices")).isEmpty();
    assertThat(last.path("usage").path("prompt_tokens").asInt()).isEqualTo(110);
    assertThat(last.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(100);
    assertThat(sink.chunks.get(sink.chunks.size() - 2).path("choices").get(0).path("finish_reason").asText())
        .isEqualTo("length");
  }

  @Test
  void aStreamWithoutAnyUsageIsEstimated() {
    AnthropicStreamTranslator t = translator(false);
    send(t, "{\"type\":\"message_start\",\"message\":{\"id\":\"m1\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"b\"}}",
        "{\"type\":\"message_stop\"}");

    assertThat(sink.usages).containsExactly(new Usage(PROMPT_ESTIMATE, 2, 0, 0, true));
  }

  @Test
  void aBrokenStreamEndsOnceWithAProtocolErrorAndAnEstimatedOutputCount() {
    AnthropicStreamTranslator t = translator(false);
    send(t, "{\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"a\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"b\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"c\"}}");
    t.onClose(null);
    t.onClose(null);

    assertThat(sink.usages).containsExactly(new Usage(10, 3, 0, 0, true));
    assertThat(sink.errors).hasSize(1);
    assertThat(sink.errors.getFirst().kind()).isEqualTo(UpstreamException.Kind.PROTOCOL);
  }

  @Test
  void anErrorEventEndsTheStreamOnceAndLaterEventsAreIgnored() {
    AnthropicStreamTranslator t = translator(true);
    send(t, "{\"type\":\"message_start\",\"message\":{\"id\":\"m1\"}}",
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"late\"}}",
        "{\"type\":\"message_stop\"}");
    t.onClose(null);

    assertThat(sink.errors).hasSize(1);
    UpstreamException error = sink.errors.getFirst();
    assertThat(error.kind()).isEqualTo(UpstreamException.Kind.STREAM_ERROR);
    assertThat(error.clientStatus()).isEqualTo(502);
    assertThat(error.errorType()).isEqualTo("upstream_error");
    assertThat(sink.chunks).hasSize(2);
    assertThat(sink.chunks.getLast().path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void theEventNameIsUsedWhenTheDataCarriesNoType() {
    AnthropicStreamTranslator t = translator(false);
    t.onEvent("message_start", "{\"message\":{\"id\":\"m9\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    t.onEvent("message_stop", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThat(sink.chunks.getFirst().path("id").asText()).isEqualTo("m9");
    assertThat(sink.errors).containsOnlyNulls().hasSize(1);
  }

  @Test
  void aToolInputSentWholeInTheStartEventIsStillDelivered() throws Exception {
    AnthropicStreamTranslator t = translator(false);
    send(t, "{\"type\":\"message_start\",\"message\":{\"id\":\"m1\"}}",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
            + "{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\",\"input\":{\"q\":1}}}",
        "{\"type\":\"content_block_stop\",\"index\":0}",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"}}",
        "{\"type\":\"message_stop\"}");

    StringBuilder args = new StringBuilder();
    for (JsonNode c : sink.chunks) {
      for (JsonNode call : c.path("choices").path(0).path("delta").path("tool_calls")) {
        args.append(call.path("function").path("arguments").asText(""));
      }
    }
    assertThat(Json.MAPPER.readTree(args.toString())).isEqualTo(Json.MAPPER.readTree("{\"q\":1}"));
  }

  @Test
  void thinkingIsRelayedAsReasoningContent() {
    AnthropicStreamTranslator t = translator(false);
    send(t, "{\"type\":\"message_start\",\"message\":{\"id\":\"m1\"}}",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Hmm.\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"abc\"}}",
        "{\"type\":\"message_stop\"}");

    assertThat(sink.chunks.get(1).path("choices").get(0).path("delta").path("reasoning_content").asText())
        .isEqualTo("Hmm.");
    assertThat(sink.content).containsExactly(false, true, false);
  }
}
