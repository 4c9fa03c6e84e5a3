package io.tokenrouter.api.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Message;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Responses API bodies read into the envelope: items joined into turns, and an agent's next turn. */
class ResponsesRequestReaderTest {
  private static final String USER = "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
      + "\"text\":\"look at f.rs\"}]}";
  private static final String REASONING = "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[],"
      + "\"encrypted_content\":\"gAAA\"}";
  private static final String ANSWER = "{\"type\":\"message\",\"role\":\"assistant\",\"id\":\"msg_1\","
      + "\"content\":[{\"type\":\"output_text\",\"text\":\"I will read it.\"}]}";
  private static final String CALL = "{\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"shell\","
      + "\"arguments\":\"{\\\"command\\\":[\\\"cat\\\",\\\"f.rs\\\"]}\"}";
  private static final String OUTPUT = "{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"fn f() {}\"}";

  private static Envelope read(String... items) {
    return readAfter("", items);
  }

  /** {@code fields}: the body's members before its input, each followed by a comma. */
  private static Envelope readAfter(String fields, String... items) {
    String body = "{\"model\":\"codex\"," + fields + "\"input\":[" + String.join(",", items) + "]}";
    return ResponsesRequestReader.read(body.getBytes(StandardCharsets.UTF_8), "sk-test");
  }

  @Test
  void theItemsAModelProducedInOneTurnAreOneAssistantTurn() {
    Envelope env = read(USER, REASONING, ANSWER, CALL, OUTPUT, USER);

    assertThat(env.messages()).extracting(Message::role).containsExactly("user", "assistant", "tool", "user");
    Message turn = env.messages().get(1);
    assertThat(turn.content()).hasSize(3);
    assertThat(turn.content().get(0)).isInstanceOfSatisfying(Block.Opaque.class,
        b -> assertThat(b.type()).isEqualTo("reasoning"));
    assertThat(turn.content().get(1)).isEqualTo(new Block.Text("I will read it.", Map.of()));
    assertThat(turn.content().get(2)).isInstanceOfSatisfying(Block.ToolUse.class,
        b -> assertThat(b.input()).isEqualTo("{\"command\":[\"cat\",\"f.rs\"]}"));
    assertThat(turn.extra()).containsKey("id");
    assertThat(env.messages().get(2).content().getFirst()).isInstanceOfSatisfying(Block.ToolResult.class,
        b -> assertThat(b.toolUseId()).isEqualTo("call_1"));
  }

  @Test
  void anItemThatIsNotAnObjectIsNamedByItsPosition() {
    assertThatThrownBy(() -> read(USER, REASONING, "7")).hasMessageStartingWith("input[2] must be an object");
  }

  @Test
  void anInvalidCallInsideAnAssistantTurnIsNamedByItsPosition() {
    assertThatThrownBy(() -> read(USER, REASONING, "{\"type\":\"function_call\",\"name\":\"shell\"}"))
        .hasMessageStartingWith("input[2]: a function_call needs a call_id and a name");
  }

  @Test
  void anAgentsNextTurnHasThePreviousTurnsInstructionsToolsAndTurnsAsTheSameObjects() {
    String fields = "\"instructions\":\"" + "Follow the conventions. ".repeat(1_000) + "\","
        + "\"tools\":[{\"type\":\"function\",\"name\":\"shell\",\"parameters\":{\"type\":\"object\"}}],";
    Envelope turn = readAfter(fields, USER, REASONING, ANSWER, CALL, OUTPUT, USER);
    Envelope next = readAfter(fields, USER, REASONING, ANSWER, CALL, OUTPUT, USER, REASONING, ANSWER);

    assertThat(next.memory()).isNotNull();
    assertThat(next.system()).isSameAs(turn.system());
    assertThat(next.tools().getFirst()).isSameAs(turn.tools().getFirst());
    for (int i = 0; i < 4; i++) {
      assertThat(next.messages().get(i)).isSameAs(turn.messages().get(i));
    }
    assertThat(next.messages().get(4).content()).hasSize(2);
  }

  @Test
  void anAssistantTurnWhoseItemsChangedIsMadeAgain() {
    String instructions = "\"instructions\":\"" + "Follow the conventions. ".repeat(1_000) + "\",";
    Envelope turn = readAfter(instructions, USER, REASONING, ANSWER);
    Envelope next = readAfter(instructions, USER, REASONING, ANSWER, CALL, OUTPUT);

    assertThat(next.messages().get(0)).isSameAs(turn.messages().get(0));
    assertThat(next.messages().get(1)).isNotSameAs(turn.messages().get(1));
    assertThat(next.messages().get(1).content()).hasSize(3).last().isInstanceOf(Block.ToolUse.class);
  }
}
