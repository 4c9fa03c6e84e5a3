package io.tokenrouter.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link EditedBody}: what a stage changed is written again, everything else is the client's
 * bytes, whitespace included. The encoder here writes a marker naming what it was asked for, so
 * each test shows exactly which parts were written again.
 */
class EditedBodyTest {
  private static final EditedBody.Encoder MARKERS = new EditedBody.Encoder() {
    @Override
    public void system(JsonGenerator json, Message system) throws IOException {
      json.writeString("system:" + system.text());
    }

    @Override
    public void message(JsonGenerator json, Message message) throws IOException {
      json.writeString("message:" + message.role());
    }

    @Override
    public void tool(JsonGenerator json, Tool tool) throws IOException {
      json.writeString("tool:" + tool.name());
    }

    @Override
    public boolean blocksAreContent() {
      return true;
    }

    @Override
    public void block(JsonGenerator json, Block block) throws IOException {
      if (block instanceof Block.Text t) {
        json.writeString("block:" + t.text());
      }
    }

    @Override
    public boolean callsAreAMember() {
      return true;
    }

    @Override
    public void calls(JsonGenerator json, List<Block.ToolUse> calls) throws IOException {
      json.writeString("calls:" + calls.getFirst().input());
    }
  };

  private static final String BODY = """
      {"model": "alias",
       "system": [{"type":"text", "text":"one"}, {"type":"text", "text":"two"}],
       "messages": [
         {"role": "user", "content": [{"type":"text", "text":"a"}, {"type":"text", "text":"b"}], "x": 1},
         {"role": "assistant", "content": "plain"}
       ],
       "tools": [{"name":"t1", "input_schema":{}}, {"name": "t2", "input_schema": {}}],
       "temperature": 0.50}
      """;

  /** The envelope a reader makes of {@link #BODY}: one item for each element, in order. */
  private static Envelope read(String body) {
    Message system = new Message(Message.SYSTEM, List.of(Block.Text.of("one"), Block.Text.of("two")), false, null);
    List<Message> messages = List.of(
        new Message(Message.USER, List.of(Block.Text.of("a"), Block.Text.of("b")), false,
            Map.of("x", Json.MAPPER.getNodeFactory().numberNode(1))),
        Message.text(Message.ASSISTANT, "plain"));
    List<Tool> tools = List.of(Tool.function("t1", null, null, null), Tool.function("t2", null, null, null));
    return new Envelope(Dialect.ANTHROPIC_MESSAGES, Operation.GENERATE, "alias", system, messages, tools, null, null,
        false, null, null, Map.of("temperature", Json.MAPPER.getNodeFactory().numberNode(0.5)), null,
        body.getBytes(StandardCharsets.UTF_8));
  }

  private static String write(Envelope env, String model) {
    List<ByteBuffer> out = EditedBody.write(env, model, MARKERS);
    return out == null ? null : joined(out);
  }

  private static String joined(List<ByteBuffer> pieces) {
    StringBuilder text = new StringBuilder();
    pieces.forEach(p -> text.append(StandardCharsets.UTF_8.decode(p.duplicate())));
    return text.toString();
  }

  private static Message withBlock(Message m, int index, Block block) {
    List<Block> blocks = new ArrayList<>(m.content());
    blocks.set(index, block);
    return m.withContent(blocks, m.plainText());
  }

  @Test
  void aChangedBlockIsWrittenAgainAndItsMessageKeepsTheRestOfItsBytes() {
    Envelope sent = read(BODY);
    List<Message> messages = new ArrayList<>(sent.messages());
    messages.set(0, withBlock(messages.get(0), 1, Block.Text.of("B")));

    String out = write(sent.toBuilder().messages(messages).build(), "real");

    String clientsArray = BODY.substring(BODY.indexOf('[', BODY.indexOf("\"messages\"")),
        BODY.indexOf("],\n \"tools\"") + 1);
    assertThat(out).isEqualTo(BODY.replace("\"alias\"", "\"real\"").replace(clientsArray,
        "[{\"role\": \"user\", \"content\": [{\"type\":\"text\", \"text\":\"a\"},\"block:B\"], \"x\": 1},"
            + "{\"role\": \"assistant\", \"content\": \"plain\"}]"));
  }

  @Test
  void longUnchangedRangesAreSentFromTheClientsOwnArray() {
    Envelope sent = read(BODY.replace("plain", "p".repeat(2_000)));
    List<Message> messages = new ArrayList<>(sent.messages());
    messages.set(0, withBlock(messages.get(0), 1, Block.Text.of("B")));

    List<ByteBuffer> out = EditedBody.write(sent.toBuilder().messages(messages).build(), "alias", MARKERS);

    assertThat(out).anySatisfy(piece -> {
      assertThat(piece.array()).isSameAs(sent.original());
      assertThat(piece.remaining()).isGreaterThan(2_000);
    });
    assertThat(joined(out)).contains("\"block:B\"], \"x\": 1},{\"role\": \"assistant\", \"content\": \"ppp");
  }

  @Test
  void unchangedNeighboursAreOnePieceWithTheClientsSeparators() {
    String body = "{\"model\": \"m\", \"messages\": [" + "{\"role\": \"user\", \"content\": \"" + "a".repeat(600)
        + "\"},\n  {\"role\": \"assistant\", \"content\": \"" + "b".repeat(600) + "\"}, {\"role\": \"user\", \"content\": \"c\"}]}";
    List<Message> messages = List.of(Message.text(Message.USER, "a".repeat(600)),
        Message.text(Message.ASSISTANT, "b".repeat(600)), Message.text(Message.USER, "c"));
    Envelope sent = new Envelope(Dialect.ANTHROPIC_MESSAGES, Operation.GENERATE, "m", null, messages, List.of(), null,
        null, false, null, null, Map.of(), null, body.getBytes(StandardCharsets.UTF_8));
    List<Message> changed = List.of(messages.get(0), messages.get(1), Message.text(Message.USER, "C"));

    List<ByteBuffer> out = EditedBody.write(sent.toBuilder().messages(changed).build(), "m", MARKERS);

    String both = body.substring(body.indexOf("{\"role\": \"user\""), body.indexOf(", {\"role\": \"user\", \"content\": \"c\""));
    assertThat(out).anySatisfy(piece -> assertThat(StandardCharsets.UTF_8.decode(piece.duplicate()).toString())
        .isEqualTo(both));
    assertThat(joined(out)).endsWith(both + ",\"message:user\"]}");
  }

  @Test
  void aMessageWhoseOwnFieldsChangedIsWrittenWhole() {
    Envelope sent = read(BODY);
    List<Message> messages = new ArrayList<>(sent.messages());
    messages.set(1, Message.text(Message.ASSISTANT, "other"));

    String out = write(sent.toBuilder().messages(messages).build(), "alias");

    assertThat(out).contains("\"x\": 1},\"message:assistant\"]");
  }

  @Test
  void aMessageAddedAtTheEndIsWrittenAfterTheClientsOnes() {
    Envelope sent = read(BODY);
    List<Message> messages = new ArrayList<>(sent.messages());
    messages.add(Message.text(Message.USER, "more"));

    String out = write(sent.toBuilder().messages(messages).build(), "alias");

    assertThat(out).contains("{\"role\": \"assistant\", \"content\": \"plain\"},\"message:user\"]");
  }

  @Test
  void changedSystemBlocksAndToolsAreWrittenAgainOneByOne() {
    Envelope sent = read(BODY);
    Message system = withBlock(sent.system(), 0, Block.Text.of("ONE"));
    List<Tool> tools = List.of(sent.tools().get(0), Tool.function("t2", "now described", null, null));

    String out = write(sent.toBuilder().system(system).tools(tools).build(), "alias");

    assertThat(out)
        .contains("\"system\": [\"block:ONE\",{\"type\":\"text\", \"text\":\"two\"}],")
        .contains("\"tools\": [{\"name\":\"t1\", \"input_schema\":{}},\"tool:t2\"],")
        .contains("{\"role\": \"user\", \"content\": [{\"type\":\"text\", \"text\":\"a\"}, {\"type\":\"text\", "
            + "\"text\":\"b\"}], \"x\": 1}");
  }

  @Test
  void theResultIsTheJsonAFullWriteWouldMean() throws Exception {
    Envelope sent = read(BODY);
    List<Message> messages = new ArrayList<>(sent.messages());
    messages.set(0, withBlock(messages.get(0), 0, Block.Text.of("A")));

    JsonNode out = Json.MAPPER.readTree(write(sent.toBuilder().messages(messages).build(), "real"));

    JsonNode expected = Json.MAPPER.readTree(BODY.replace("\"alias\"", "\"real\"")
        .replace("{\"type\":\"text\", \"text\":\"a\"}", "\"block:A\""));
    assertThat(out).isEqualTo(expected);
  }

  @Test
  void aMessageWhoseToolCallsAloneChangedKeepsItsOtherBytes() {
    String body = "{\"model\": \"m\", \"messages\": [{\"role\": \"assistant\", \"content\": \"Reading.\", "
        + "\"tool_calls\": [{\"id\": \"c1\", \"function\": {\"arguments\": \"{\\\"b\\\":1,\\\"a\\\":2}\"}}], \"name\": \"x\"}]}";
    Message call = new Message(Message.ASSISTANT, List.of(Block.Text.of("Reading."),
        new Block.ToolUse("c1", "read", "{\"b\":1,\"a\":2}", null)), true,
        Map.of("name", Json.MAPPER.getNodeFactory().textNode("x")));
    Envelope sent = new Envelope(Dialect.OPENAI_CHAT, Operation.GENERATE, "m", null, List.of(call), null, null, null,
        false, null, null, null, null, body.getBytes(StandardCharsets.UTF_8));
    Message sorted = call.withContent(List.of(call.content().get(0),
        new Block.ToolUse("c1", "read", "{\"a\":2,\"b\":1}", null)), true);

    String out = write(sent.toBuilder().messages(List.of(sorted)).build(), "m");

    assertThat(out).isEqualTo("{\"model\": \"m\", \"messages\": [{\"role\": \"assistant\", \"content\": \"Reading.\", "
        + "\"tool_calls\": \"calls:{\\\"a\\\":2,\\\"b\\\":1}\", \"name\": \"x\"}]}");
  }

  @Test
  void aParameterAStageAddedGoesFirstAndTheRestIsTheClientsBytes() {
    Envelope sent = read(BODY);
    Envelope keyed = sent.toBuilder()
        .params(Fields.with(sent.params(), "prompt_cache_key", Json.MAPPER.getNodeFactory().textNode("k"))).build();

    assertThat(write(keyed, "alias")).isEqualTo("{\"prompt_cache_key\":\"k\"," + BODY.substring(1));
  }

  @Test
  void aParameterAStageChangedLeavesTheRequestToBeWrittenWhole() {
    Envelope sent = read(BODY);
    Envelope changed = sent.toBuilder()
        .params(Fields.with(sent.params(), "temperature", Json.MAPPER.getNodeFactory().numberNode(1))).build();

    assertThat(write(changed, "alias")).isNull();
  }

  @Test
  void elementsTheReaderJoinedIntoOneTurnAreCopiedTogether() {
    EditedBody.Encoder joining = new EditedBody.Encoder() {
      @Override
      public void system(JsonGenerator json, Message system) {}

      @Override
      public void message(JsonGenerator json, Message message) throws IOException {
        json.writeString("message:" + message.text());
      }

      @Override
      public void tool(JsonGenerator json, Tool tool) {}

      @Override
      public String messagesMember() {
        return "input";
      }

      @Override
      public boolean joinsTurns() {
        return true;
      }

      @Override
      public boolean joinsTurn(String type, String role) {
        return "call".equals(type) || "assistant".equals(role);
      }
    };
    String body = "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"a\"}, {\"role\":\"assistant\","
        + "\"content\":\"b\"}, {\"type\":\"call\",\"x\":1}, {\"role\":\"user\",\"content\":\"c\"}]}";
    List<Message> turns = List.of(Message.text(Message.USER, "a"),
        new Message(Message.ASSISTANT, List.of(Block.Text.of("b"), new Block.ToolUse("1", "call", "{}", null)), false,
            null),
        Message.text(Message.USER, "c"));
    Envelope sent = new Envelope(Dialect.OPENAI_RESPONSES, Operation.GENERATE, "m", null, turns, null, null, null,
        false, null, null, null, null, body.getBytes(StandardCharsets.UTF_8));
    List<Message> changed = List.of(turns.get(0), turns.get(1), Message.text(Message.USER, "C"));

    List<ByteBuffer> out = EditedBody.write(sent.toBuilder().messages(changed).build(), "m", joining);

    assertThat(joined(out)).isEqualTo("{\"model\":\"m\",\"input\":["
        + "{\"role\":\"user\",\"content\":\"a\"}, {\"role\":\"assistant\",\"content\":\"b\"}, "
        + "{\"type\":\"call\",\"x\":1},\"message:C\"]}");
  }

  @Test
  void anUnchangedRequestIsLeftToTheOriginalBody() {
    assertThat(write(read(BODY), "alias")).isNull();
  }

  @Test
  void aRequestWhoseOtherFieldsChangedIsWrittenWhole() {
    Envelope changed = read(BODY).toBuilder().maxOutputTokens(10).build();

    assertThat(write(changed, "alias")).isNull();
  }

  @Test
  void aBodyWithTwoMessagesMembersIsWrittenWhole() {
    String twice = BODY.replace("\"temperature\"", "\"messages\": [], \"temperature\"");
    Envelope sent = read(twice);
    List<Message> messages = new ArrayList<>(sent.messages());
    messages.set(1, Message.text(Message.ASSISTANT, "other"));

    assertThat(write(sent.toBuilder().messages(messages).build(), "alias")).isNull();
  }

  @Test
  void aBodyWhoseArraysDoNotMatchTheEnvelopeIsWrittenWhole() {
    String extra = BODY.replace("{\"role\": \"assistant\", \"content\": \"plain\"}",
        "{\"role\": \"assistant\", \"content\": \"plain\"}, {\"role\": \"user\", \"content\": \"unread\"}");
    Envelope sent = read(extra);
    List<Message> messages = new ArrayList<>(sent.messages());
    messages.set(1, Message.text(Message.ASSISTANT, "other"));

    assertThat(write(sent.toBuilder().messages(messages).build(), "alias")).isNull();
  }
}
