package io.tokenrouter.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.ReplyEvent;
import io.tokenrouter.reply.Usage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An Anthropic answer relayed to an Anthropic client byte for byte, tapped only for usage. */
class AnthropicRawDecoderTest {
  private final AnthropicRawDecoder decoder = new AnthropicRawDecoder("claude");
  private final List<ReplyEvent> events = new ArrayList<>();

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private List<Usage> usages() {
    return events.stream().filter(e -> e instanceof ReplyEvent.UsageReport).map(e -> ((ReplyEvent.UsageReport) e)
        .usage()).toList();
  }

  private List<ReplyEvent.Raw> raws() {
    return events.stream().filter(e -> e instanceof ReplyEvent.Raw).map(e -> (ReplyEvent.Raw) e).toList();
  }

  @Test
  void wholeMessageIsRelayedAsItIsWithItsUsage() {
    String body = "{\"id\":\"m\",\"content\":[{\"type\":\"text\",\"text\":\"hi\",\"citations\":null}],"
        + "\"usage\":{\"input_tokens\":5,\"output_tokens\":2,\"cache_creation_input_tokens\":3,"
        + "\"cache_read_input_tokens\":4,\"cache_creation\":{\"ephemeral_1h_input_tokens\":3}}}";
    decoder.body(b(body), events::add);

    assertThat(raws()).singleElement().satisfies(r -> {
      assertThat(r.data()).isEqualTo(b(body));
      assertThat(r.output()).isTrue();
      assertThat(r.text()).isNull();
    });
    assertThat(usages()).containsExactly(new Usage(12, 2, 4, 3, 3, 0, false));
  }

  @Test
  void wholeMessageWithoutUsageCarriesItsTextForTheEstimate() {
    decoder.body(b("{\"content\":[{\"type\":\"thinking\",\"thinking\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]}"),
        events::add);
    assertThat(raws().getFirst().text()).isEqualTo("ab");
    assertThat(usages()).isEmpty();
    assertThatThrownBy(() -> decoder.body(b("[1]"), events::add)).isInstanceOf(GatewayError.class);
    assertThatThrownBy(() -> decoder.body(b("{\"a\":1} {}"), events::add)).isInstanceOf(GatewayError.class);
  }

  @Test
  void everyEventIsRelayedWithItsNameAndBytesAndUsageIsTapped() {
    List<String[]> stream = List.of(
        new String[] {"message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":10,"
            + "\"cache_read_input_tokens\":20,\"output_tokens\":1}}}"},
        new String[] {"ping", "{\"type\": \"ping\"}"},
        new String[] {"content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
            + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\",\"input\":{}}}"},
        new String[] {"content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
            + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}"},
        new String[] {"future_event", "{\"type\":\"future_event\",\"x\":1}"},
        new String[] {"content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"},
        new String[] {"message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},"
            + "\"usage\":{\"output_tokens\":7}}"},
        new String[] {"message_stop", "{\"type\":\"message_stop\"}"});
    for (String[] e : stream) {
      decoder.event(e[0], b(e[1]), events::add);
    }
    decoder.end(events::add);

    List<ReplyEvent.Raw> raws = raws();
    assertThat(raws).hasSize(stream.size());
    for (int i = 0; i < stream.size(); i++) {
      assertThat(raws.get(i).event()).isEqualTo(stream.get(i)[0]);
      assertThat(new String(raws.get(i).data(), StandardCharsets.UTF_8)).isEqualTo(stream.get(i)[1]);
    }
    assertThat(raws.stream().map(ReplyEvent.Raw::output).toList())
        .containsExactly(false, false, true, true, false, false, false, false);
    assertThat(usages().getLast()).isEqualTo(new Usage(30, 7, 20, 0, 0, 0, false));
  }

  @Test
  void unnamedEventsAreKnownByTheirType() {
    decoder.event(null, b("{\"type\":\"message_stop\"}"), events::add);
    decoder.end(events::add);
    assertThat(raws().getFirst().event()).isNull();
  }

  @Test
  void anErrorEventFailsWithTheProvidersKindAndATruncatedStreamIsABadResponse() {
    assertThatThrownBy(() -> decoder.event("error",
        b("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"), events::add))
        .isInstanceOfSatisfying(GatewayError.class, e -> {
          assertThat(e.status()).isEqualTo(529);
          assertThat(e.kind()).isEqualTo(GatewayError.Kind.UPSTREAM_OVERLOADED);
          assertThat(e.getMessage()).contains("Overloaded");
        });
    AnthropicRawDecoder cut = new AnthropicRawDecoder("claude");
    cut.event("message_start", b("{\"type\":\"message_start\",\"message\":{}}"), events::add);
    assertThatThrownBy(() -> cut.end(events::add)).isInstanceOfSatisfying(GatewayError.class,
        e -> assertThat(e.code()).isEqualTo("upstream_bad_response"));
  }
}
