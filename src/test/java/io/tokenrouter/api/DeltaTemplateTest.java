package io.tokenrouter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link DeltaTemplate}: the same JSON as the event written as a tree, for any text. */
class DeltaTemplateTest {
  private static ObjectNode textDelta(String text) {
    ObjectNode event = Json.MAPPER.createObjectNode().put("type", "content_block_delta").put("index", 2);
    event.putObject("delta").put("type", "text_delta").put("text", text);
    return event;
  }

  private static ObjectNode counted(String text, long sequence) {
    ObjectNode event = Json.MAPPER.createObjectNode().put("type", "response.output_text.delta")
        .put("item_id", "msg_1").put("output_index", 0).put("delta", text);
    event.putArray("logprobs");
    return event.put("sequence_number", sequence);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Hello", " world", "quote \" backslash \\ slash /", "line\nbreak\ttab\r",
      "control \u0001\u001f", "ünïcödé 漢字", "emoji 🙂👍🏽", "\u2028\u2029", "nul \u0000 inside"})
  void aTextIsRenderedAsTheSameJsonAsTheTree(String text) throws Exception {
    DeltaTemplate template = DeltaTemplate.of(textDelta(DeltaTemplate.TEXT));

    assertThat(Json.MAPPER.readTree(template.render(text))).isEqualTo(textDelta(text));
  }

  @Test
  void aTextInsideTheBasicPlaneGivesTheTreesVeryBytes() {
    String text = "ünïcödé 漢字 \"q\" \n";

    assertThat(new String(DeltaTemplate.of(textDelta(DeltaTemplate.TEXT)).render(text), StandardCharsets.UTF_8))
        .isEqualTo(new String(Json.bytes(textDelta(text)), StandardCharsets.UTF_8));
  }

  @Test
  void charactersBeyondTheBasicPlaneAreWrittenAsUtf8AsProvidersSendThem() {
    assertThat(new String(DeltaTemplate.of(textDelta(DeltaTemplate.TEXT)).render("🙂"), StandardCharsets.UTF_8))
        .endsWith("\"text\":\"🙂\"}}");
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 7, 1234567, Long.MAX_VALUE})
  void aNumberAfterTheTextIsRenderedToo(long sequence) {
    DeltaTemplate template = DeltaTemplate.of(counted(DeltaTemplate.TEXT, DeltaTemplate.NUMBER));

    assertThat(new String(template.render("a \"b\"", sequence), StandardCharsets.UTF_8))
        .isEqualTo(new String(Json.bytes(counted("a \"b\"", sequence)), StandardCharsets.UTF_8));
  }

  @Test
  void aShapeWithoutTheTextMarkerOrANumberItLacksIsAMistake() {
    assertThatThrownBy(() -> DeltaTemplate.of(textDelta("plain"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DeltaTemplate.of(textDelta(DeltaTemplate.TEXT)).render("x", 1))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> DeltaTemplate.of(counted(DeltaTemplate.TEXT, DeltaTemplate.NUMBER)).render("x"))
        .isInstanceOf(IllegalStateException.class);
  }
}
