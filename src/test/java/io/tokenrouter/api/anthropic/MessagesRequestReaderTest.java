package io.tokenrouter.api.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.InvalidRequestException;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Operation;
import io.tokenrouter.envelope.Tool;
import io.tokenrouter.envelope.ToolChoice;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Anthropic Messages bodies read into the envelope: typed where both formats agree, kept whole otherwise. */
class MessagesRequestReaderTest {
  private static Envelope read(String body) {
    return read(body, MultiMap.caseInsensitiveMultiMap(), Operation.GENERATE);
  }

  private static Envelope read(String body, MultiMap headers, Operation operation) {
    return MessagesRequestReader.read(body.getBytes(StandardCharsets.UTF_8), headers, operation, "sk-test");
  }

  @Test
  void topLevelFieldsAndHeaders() {
    String body = """
        {"model":"claude-x","max_tokens":100,"stream":true,"stop_sequences":["a","b"],
         "system":"Be kind.","temperature":0.5,"thinking":{"type":"enabled","budget_tokens":2000},
         "x_unknown":{"k":[1]},"metadata":{"user_id":"u"},
         "messages":[{"role":"user","content":"hi"}]}
        """;
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("anthropic-version", "2023-06-01")
        .add("anthropic-beta", "a-2025").add("anthropic-beta", "b-2026").add("x-api-key", "secret")
        .add("authorization", "Bearer secret");

    Envelope env = read(body, headers, Operation.GENERATE);

    assertThat(env.dialect()).isEqualTo(Dialect.ANTHROPIC_MESSAGES);
    assertThat(env.operation()).isEqualTo(Operation.GENERATE);
    assertThat(env.model()).isEqualTo("claude-x");
    assertThat(env.maxOutputTokens()).isEqualTo(100);
    assertThat(env.maxOutput().field()).isEqualTo("max_tokens");
    assertThat(env.stream()).isTrue();
    assertThat(env.stopSequences()).containsExactly("a", "b");
    assertThat(env.system().plainText()).isTrue();
    assertThat(env.system().text()).isEqualTo("Be kind.");
    assertThat(env.params().keySet()).containsExactly("temperature", "thinking", "x_unknown", "metadata");
    assertThat(env.headers()).isEqualTo(Map.of("anthropic-version", "2023-06-01", "anthropic-beta", "a-2025,b-2026"));
    assertThat(env.original()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
    assertThat(env.messages()).hasSize(1);
    assertThat(env.messages().getFirst().plainText()).isTrue();
  }

  @Test
  void everyBlockKind() {
    Envelope env = read("""
        {"model":"m","max_tokens":1,"system":[{"type":"text","text":"S","cache_control":{"type":"ephemeral"}}],
         "messages":[{"role":"user","content":[
           {"type":"text","text":"t","cache_control":{"type":"ephemeral"},"x":1},
           {"type":"image","source":{"type":"base64","media_type":"image/png","data":"QUJD"}},
           {"type":"image","source":{"type":"url","url":"https://e.x/i.png"}},
           {"type":"image","source":{"type":"file","file_id":"file_1"}},
           {"type":"tool_use","id":"tu","name":"n","input":{"a":1}},
           {"type":"tool_result","tool_use_id":"tu","content":"plain","is_error":true},
           {"type":"tool_result","tool_use_id":"tv","content":[{"type":"text","text":"x"}]},
           {"type":"tool_result","tool_use_id":"tw"},
           {"type":"thinking","thinking":"th","signature":"sg"},
           {"type":"redacted_thinking","data":"rd"},
           {"type":"document","source":{"type":"text","data":"d"}}]}]}
        """);

    assertThat(env.system().content()).singleElement().isInstanceOf(Block.Text.class);
    assertThat(env.system().content().getFirst().cacheControl()).isNotNull();
    List<Block> blocks = env.messages().getFirst().content();
    assertThat(blocks).hasSize(11);
    Block.Text text = (Block.Text) blocks.get(0);
    assertThat(text.extra().keySet()).containsExactly("cache_control", "x");
    assertThat(((Block.Image) blocks.get(1)).url()).isEqualTo("data:image/png;base64,QUJD");
    assertThat(((Block.Image) blocks.get(2)).url()).isEqualTo("https://e.x/i.png");
    assertThat(blocks.get(3)).isInstanceOf(Block.Opaque.class);
    Block.ToolUse use = (Block.ToolUse) blocks.get(4);
    assertThat(use.id()).isEqualTo("tu");
    assertThat(use.input()).isEqualTo("{\"a\":1}");
    Block.ToolResult plain = (Block.ToolResult) blocks.get(5);
    assertThat(plain.plainText()).isTrue();
    assertThat(plain.isError()).isTrue();
    assertThat(((Block.Text) plain.content().getFirst()).text()).isEqualTo("plain");
    Block.ToolResult array = (Block.ToolResult) blocks.get(6);
    assertThat(array.plainText()).isFalse();
    assertThat(array.isError()).isFalse();
    Block.ToolResult empty = (Block.ToolResult) blocks.get(7);
    assertThat(empty.content()).isEmpty();
    assertThat(empty.plainText()).isFalse();
    Block.Thinking thinking = (Block.Thinking) blocks.get(8);
    assertThat(thinking.thinking()).isEqualTo("th");
    assertThat(thinking.signature()).isEqualTo("sg");
    assertThat(((Block.RedactedThinking) blocks.get(9)).data()).isEqualTo("rd");
    Block.Opaque document = (Block.Opaque) blocks.get(10);
    assertThat(document.type()).isEqualTo("document");
    assertThat(document.dialect()).isEqualTo(Dialect.ANTHROPIC_MESSAGES);
  }

  @Test
  void toolsAndToolChoice() {
    Envelope env = read("""
        {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],
         "tools":[{"name":"f","description":"d","input_schema":{"type":"object"},"cache_control":{"type":"ephemeral"}},
                  {"type":"custom","name":"g","input_schema":{"type":"object"}},
                  {"type":"bash_20250124","name":"bash"}],
         "tool_choice":{"type":"tool","name":"f","disable_parallel_tool_use":true}}
        """);

    assertThat(env.tools()).hasSize(3);
    Tool f = env.tools().get(0);
    assertThat(f.isFunction()).isTrue();
    assertThat(f.description()).isEqualTo("d");
    assertThat(f.extra().keySet()).containsExactly("cache_control");
    assertThat(env.tools().get(1).isFunction()).isTrue();
    Tool bash = env.tools().get(2);
    assertThat(bash.isFunction()).isFalse();
    assertThat(bash.raw().path("type").asText()).isEqualTo("bash_20250124");
    assertThat(env.toolChoice()).isEqualTo(ToolChoice.tool("f"));
    assertThat(env.parallelToolCalls()).isFalse();

    assertThat(read(choice("{\"type\":\"auto\"}")).toolChoice()).isEqualTo(ToolChoice.AUTO);
    assertThat(read(choice("{\"type\":\"auto\"}")).parallelToolCalls()).isNull();
    assertThat(read(choice("{\"type\":\"any\"}")).toolChoice()).isEqualTo(ToolChoice.ANY);
    assertThat(read(choice("{\"type\":\"none\"}")).toolChoice()).isEqualTo(ToolChoice.NONE);
    assertThat(read(choice("{\"type\":\"auto\",\"disable_parallel_tool_use\":false}")).parallelToolCalls()).isTrue();
    ToolChoice future = read(choice("{\"type\":\"future\",\"x\":1}")).toolChoice();
    assertThat(future.mode()).isEqualTo(ToolChoice.Mode.OTHER);
    assertThat(future.raw().path("x").asInt()).isEqualTo(1);
  }

  private static String choice(String choice) {
    return "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tool_choice\":"
        + choice + "}";
  }

  @Test
  void aSystemRoleInsideMessagesIsKeptWhereItIs() {
    Envelope env = read("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"system\",\"content\":\"S\"},"
        + "{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(env.messages().getFirst().role()).isEqualTo(Message.SYSTEM);
    assertThat(env.system()).isNull();
  }

  @Test
  void countTokensNeedsNoMaxTokens() {
    Envelope env = read("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        MultiMap.caseInsensitiveMultiMap(), Operation.COUNT_TOKENS);
    assertThat(env.operation()).isEqualTo(Operation.COUNT_TOKENS);
    assertThat(env.maxOutput()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "not json", "[]", "{\"max_tokens\":1,\"messages\":[]}", "{\"model\":\"\",\"max_tokens\":1,\"messages\":[]}",
      "{\"model\":\"m\",\"messages\":[]}", "{\"model\":\"m\",\"max_tokens\":0,\"messages\":[]}",
      "{\"model\":\"m\",\"max_tokens\":\"5\",\"messages\":[]}", "{\"model\":\"m\",\"max_tokens\":1}",
      "{\"model\":\"m\",\"max_tokens\":1,\"messages\":{}}",
      "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}",
      "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":5}]}",
      "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"no type\"}]}]}",
      "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]}",
      "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_use\"}]}]}",
      "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\"}]}]}",
      "{\"model\":\"m\",\"max_tokens\":1,\"stream\":\"yes\",\"messages\":[]}",
      "{\"model\":\"m\",\"max_tokens\":1,\"system\":5,\"messages\":[]}",
      "{\"model\":\"m\",\"max_tokens\":1,\"tools\":[{}],\"messages\":[]}",
      "{\"model\":\"m\",\"max_tokens\":1,\"tools\":{},\"messages\":[]}",
      "{\"model\":\"m\",\"max_tokens\":1,\"stop_sequences\":\"x\",\"messages\":[]}",
      "{\"model\":\"m\",\"max_tokens\":1,\"stop_sequences\":[1],\"messages\":[]}"})
  void malformedBodiesAreInvalidRequests(String body) {
    assertThatThrownBy(() -> read(body)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void anInvalidMessageOrToolIsNamedByItsPosition() {
    assertThatThrownBy(() -> read("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"a\"},{\"role\":\"critic\",\"content\":\"b\"}]}"))
        .hasMessageStartingWith("messages.1.role:");
    assertThatThrownBy(() -> read("{\"model\":\"m\",\"max_tokens\":1,\"tools\":[{\"name\":\"a\","
        + "\"input_schema\":{}},{}],\"messages\":[]}"))
        .hasMessageStartingWith("tools.1.name:");
  }

  @Test
  void theClientsTreeIsNotChangedByReading() throws Exception {
    String body = "{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
        + "\"text\":\"x\",\"cache_control\":{\"type\":\"ephemeral\"}}]}],\"metadata\":{\"user_id\":\"u\"}}";
    Envelope env = read(body);
    assertThat(Json.MAPPER.readTree(env.original())).isEqualTo(Json.MAPPER.readTree(body));
    assertThatThrownBy(() -> env.params().put("x", null)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> env.messages().getFirst().content().add(Block.Text.of("y")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aLongConversationsNextTurnHasThePreviousTurnsMessagesAndToolsAsTheSameObjects() {
    String first = "{\"role\":\"user\",\"content\":\"" + "read it all ".repeat(2_000) + "\"}";
    String tools = "\"tools\":[{\"name\":\"Read\",\"input_schema\":{\"type\":\"object\"}}]";
    Envelope turn = read("{\"model\":\"c\",\"max_tokens\":9,\"system\":[{\"type\":\"text\",\"text\":\"Be kind.\"}],"
        + tools + ",\"messages\":[" + first + "]}");
    Envelope next = read("{\"model\":\"c\",\"max_tokens\":9,\"system\":[{\"type\":\"text\",\"text\":\"Be kind.\"}],"
        + tools + ",\"messages\":[" + first + ",{\"role\":\"assistant\",\"content\":\"done\"}]}");

    assertThat(next.memory()).isNotNull();
    assertThat(next.messages().get(0)).isSameAs(turn.messages().get(0));
    assertThat(next.tools().get(0)).isSameAs(turn.tools().get(0));
    assertThat(next.system()).isSameAs(turn.system());
    assertThat(next.messages().get(1).content()).containsExactly(Block.Text.of("done"));
  }
}
