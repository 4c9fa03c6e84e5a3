package io.tokenrouter.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.InvalidRequestException;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Tool;
import io.tokenrouter.envelope.ToolChoice;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OpenAI chat completions bodies read into the envelope. */
class ChatRequestReaderTest {
  private static Envelope read(String body) {
    return ChatRequestReader.read(body.getBytes(StandardCharsets.UTF_8), "sk-test");
  }

  @Test
  void topLevelFields() {
    String body = """
        {"model":"gpt","stream":true,"stream_options":{"include_usage":true},"max_tokens":10,
         "max_completion_tokens":20,"stop":"END","temperature":0,"x_custom":[1],"parallel_tool_calls":false,
         "messages":[{"role":"user","content":"hi"}]}
        """;
    Envelope env = read(body);

    assertThat(env.dialect()).isEqualTo(Dialect.OPENAI_CHAT);
    assertThat(env.model()).isEqualTo("gpt");
    assertThat(env.stream()).isTrue();
    assertThat(env.clientWantsStreamUsage()).isTrue();
    assertThat(env.maxOutputTokens()).as("max_completion_tokens wins").isEqualTo(20);
    assertThat(env.maxOutput().field()).isEqualTo("max_completion_tokens");
    assertThat(env.stopSequences()).containsExactly("END");
    assertThat(env.parallelToolCalls()).isFalse();
    assertThat(env.params().keySet()).containsExactly("stream_options", "temperature", "x_custom");
    assertThat(env.original()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
    assertThat(env.system()).isNull();
    assertThat(env.headers()).isEmpty();
  }

  @Test
  void messagesPartsToolCallsAndToolAnswers() {
    Envelope env = read("""
        {"model":"gpt","messages":[
          {"role":"system","content":"S"},
          {"role":"developer","content":[{"type":"text","text":"D"}]},
          {"role":"user","name":"bob","content":[{"type":"text","text":"look","cache_control":{"type":"ephemeral"}},
            {"type":"image_url","image_url":{"url":"data:image/png;base64,QUJD","detail":"low"}},
            {"type":"input_audio","input_audio":{"data":"x","format":"wav"}}]},
          {"role":"assistant","content":null,"tool_calls":[
            {"id":"c1","type":"function","function":{"name":"f","arguments":"{\\"a\\":1}"}},
            {"id":"c2","type":"function","function":{"name":"g"}}]},
          {"role":"tool","tool_call_id":"c1","content":"r1"},
          {"role":"tool","tool_call_id":"c2","content":[{"type":"text","text":"r2"}]}]}
        """);

    List<Message> m = env.messages();
    assertThat(m).hasSize(6);
    assertThat(m.get(0).isInstruction()).isTrue();
    assertThat(m.get(0).plainText()).isTrue();
    assertThat(m.get(1).role()).isEqualTo(Message.DEVELOPER);
    assertThat(m.get(1).plainText()).isFalse();
    Message user = m.get(2);
    assertThat(user.extra().keySet()).containsExactly("name");
    assertThat(((Block.Text) user.content().get(0)).cacheControl()).isNotNull();
    Block.Image image = (Block.Image) user.content().get(1);
    assertThat(image.url()).isEqualTo("data:image/png;base64,QUJD");
    assertThat(image.extra().get("detail").asText()).isEqualTo("low");
    assertThat(((Block.Opaque) user.content().get(2)).type()).isEqualTo("input_audio");
    Message assistant = m.get(3);
    assertThat(assistant.content()).hasSize(2);
    Block.ToolUse c1 = (Block.ToolUse) assistant.content().get(0);
    assertThat(c1.id()).isEqualTo("c1");
    assertThat(c1.name()).isEqualTo("f");
    assertThat(c1.input()).isEqualTo("{\"a\":1}");
    assertThat(((Block.ToolUse) assistant.content().get(1)).input()).isEqualTo("{}");
    Block.ToolResult r1 = (Block.ToolResult) m.get(4).content().getFirst();
    assertThat(r1.toolUseId()).isEqualTo("c1");
    assertThat(r1.plainText()).isTrue();
    assertThat(((Block.Text) r1.content().getFirst()).text()).isEqualTo("r1");
    Block.ToolResult r2 = (Block.ToolResult) m.get(5).content().getFirst();
    assertThat(r2.plainText()).isFalse();
  }

  @Test
  void toolsAndToolChoices() {
    Envelope env = read("""
        {"model":"gpt","messages":[{"role":"user","content":"x"}],
         "tools":[{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object"},"strict":true}},
                  {"type":"custom","custom":{"name":"grammar"}}],
         "tool_choice":{"type":"function","function":{"name":"f"}}}
        """);
    Tool f = env.tools().getFirst();
    assertThat(f.isFunction()).isTrue();
    assertThat(f.schema().path("type").asText()).isEqualTo("object");
    assertThat(f.extra().keySet()).containsExactly("strict");
    assertThat(env.tools().get(1).isFunction()).isFalse();
    assertThat(env.toolChoice()).isEqualTo(ToolChoice.tool("f"));

    assertThat(read(choice("\"auto\"")).toolChoice()).isEqualTo(ToolChoice.AUTO);
    assertThat(read(choice("\"required\"")).toolChoice()).isEqualTo(ToolChoice.ANY);
    assertThat(read(choice("\"none\"")).toolChoice()).isEqualTo(ToolChoice.NONE);
    assertThat(read(choice("{\"type\":\"allowed_tools\",\"allowed_tools\":{}}")).toolChoice().mode())
        .isEqualTo(ToolChoice.Mode.OTHER);
  }

  private static String choice(String choice) {
    return "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tool_choice\":" + choice + "}";
  }

  @Test
  void stopAsAnArray() {
    assertThat(read("{\"model\":\"gpt\",\"stop\":[\"a\",\"b\"],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
        .stopSequences()).containsExactly("a", "b");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "nope", "[]", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
      "{\"model\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
      "{\"model\":\"gpt\"}", "{\"model\":\"gpt\",\"messages\":[]}", "{\"model\":\"gpt\",\"messages\":{}}",
      "{\"model\":\"gpt\",\"stream\":1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
      "{\"model\":\"gpt\",\"parallel_tool_calls\":\"no\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
      "{\"model\":\"gpt\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
      "{\"model\":\"gpt\",\"max_completion_tokens\":1.5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
      "{\"model\":\"gpt\",\"stop\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
      "{\"model\":\"gpt\",\"stop\":[5],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
      "{\"model\":\"gpt\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}",
      "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\"}]}",
      "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":5}]}",
      "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"no type\"}]}]}",
      "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]}",
      "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}]}",
      "{\"model\":\"gpt\",\"messages\":[{\"role\":\"tool\",\"content\":\"r\"}]}",
      "{\"model\":\"gpt\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":{}}]}",
      "{\"model\":\"gpt\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"function\":{}}]}]}",
      "{\"model\":\"gpt\",\"tools\":{},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
      "{\"model\":\"gpt\",\"tools\":[{\"type\":\"function\"}],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"})
  void malformedBodiesAreInvalidRequests(String body) {
    assertThatThrownBy(() -> read(body)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void anInvalidMessageIsNamedByItsPosition() {
    assertThatThrownBy(() -> read("{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},"
        + "{\"role\":\"critic\",\"content\":\"b\"}]}"))
        .hasMessageStartingWith("messages[1].role");
  }

  @Test
  void anAssistantTurnMayHaveNoContent() {
    Envelope env = read("{\"model\":\"gpt\",\"messages\":[{\"role\":\"assistant\"},{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(env.messages().getFirst().content()).isEmpty();
  }

  @Test
  void aLongConversationsNextTurnHasThePreviousTurnsMessagesAndToolsAsTheSameObjects() {
    String first = "{\"role\":\"user\",\"content\":\"" + "read it all ".repeat(2_000) + "\"}";
    String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"read\"}}]";
    Envelope turn = read("{\"model\":\"gpt\"," + tools + ",\"messages\":[" + first + "]}");
    Envelope next = read("{\"model\":\"gpt\"," + tools + ",\"messages\":[" + first
        + ",{\"role\":\"assistant\",\"content\":\"done\"}]}");

    assertThat(next.memory()).isNotNull();
    assertThat(next.messages().get(0)).isSameAs(turn.messages().get(0));
    assertThat(next.tools().get(0)).isSameAs(turn.tools().get(0));
    assertThat(next.messages().get(1).content()).containsExactly(Block.Text.of("done"));
  }
}
