package io.tokenrouter.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.envelope.Tool;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A function tool written in the Responses API's shape. */
class ResponsesItemsTest {
  private static final JsonNode SCHEMA = Json.MAPPER.createObjectNode().put("type", "object");

  @Test
  void aChatToolThatDoesNotSayIsNotMadeStrict() {
    JsonNode tool = ResponsesItems.tool(Tool.function("lookup", "Looks up", SCHEMA, Map.of()), Dialect.OPENAI_CHAT);

    assertThat(tool.get("strict").booleanValue()).isFalse();
  }

  @Test
  void anAnthropicToolIsNotMadeStrict() {
    JsonNode tool = ResponsesItems.tool(Tool.function("lookup", null, SCHEMA, Map.of()), Dialect.ANTHROPIC_MESSAGES);

    assertThat(tool.get("strict").booleanValue()).isFalse();
  }

  @Test
  void aResponsesToolThatDoesNotSayGetsTheApisDefault() {
    JsonNode tool = ResponsesItems.tool(Tool.function("lookup", null, SCHEMA, Map.of()), Dialect.OPENAI_RESPONSES);

    assertThat(tool.get("strict").booleanValue()).isTrue();
  }

  @Test
  void aToolThatSaysKeepsWhatItSays() {
    Tool strict = Tool.function("lookup", null, SCHEMA, Map.of("strict", Json.MAPPER.getNodeFactory().booleanNode(true)));

    assertThat(ResponsesItems.tool(strict, Dialect.OPENAI_CHAT).get("strict").booleanValue()).isTrue();
  }
}
