package io.tokenrouter.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.tokenrouter.api.responses.ResponsesApi;
import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Tool;
import io.tokenrouter.pipeline.Canonicalizer;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ResponsesRequestWriter} for a Responses request a stage changed (Codex's, say): the
 * client's bytes for every item the stage left alone, a function call whose arguments were made
 * canonical written again on its own, the model's other items of that turn as they came.
 */
class ResponsesRequestWriterEditedTest {
  private static final String REASONING = "{\"type\": \"reasoning\", \"id\": \"rs_1\", \"summary\": [], "
      + "\"encrypted_content\": \"gAAAA==\"}";
  private static final String ANSWER = "{\"type\": \"message\", \"role\": \"assistant\", \"id\": \"msg_1\", "
      + "\"content\": [{\"type\": \"output_text\", \"text\": \"Reading it.\", \"annotations\": []}]}";

  private static final String CODEX = """
      {"model": "fast", "instructions": "You are Codex.",
       "input": [
         {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Read a.rs"}]},
         %s,
         %s,
         {"type": "function_call", "call_id": "call_1", "name": "shell", "arguments": "{\\"cwd\\":\\"/w\\",\\"command\\":[\\"cat\\",\\"a.rs\\"]}"},
         {"type": "function_call_output", "call_id": "call_1", "output": "fn main() {}"},
         {"role": "user", "content": "Now b.rs"}
       ],
       "tools": [{"type": "function", "name": "shell", "parameters": {"type": "object", "properties": {}}}],
       "store": false, "stream": true}
      """.formatted(REASONING, ANSWER);

  private static Envelope read(byte[] body) {
    return new ResponsesApi(null).read(body, MultiMap.caseInsensitiveMultiMap());
  }

  @Test
  void aTurnWhoseCallAloneChangedKeepsTheBytesOfItsOtherItems() {
    Envelope canonical = new Canonicalizer().apply(read(CODEX.getBytes(StandardCharsets.UTF_8)), null);
    assertThat(canonical.original()).isNull();

    String out = ResponsesRequestWriter.write(canonical, "gpt-5").toString(StandardCharsets.UTF_8);

    assertThat(out).startsWith("{\"model\": \"gpt-5\", \"instructions\": \"You are Codex.\",")
        .contains(REASONING + "," + ANSWER + ",{\"type\":\"function_call\",\"call_id\":\"call_1\"")
        .contains("\"arguments\":\"{\\\"command\\\":[\\\"cat\\\",\\\"a.rs\\\"],\\\"cwd\\\":\\\"/w\\\"}\"")
        .contains("{\"type\": \"function_call_output\", \"call_id\": \"call_1\", \"output\": \"fn main() {}\"}")
        .endsWith("\"store\": false, \"stream\": true}\n");
    assertThat(read(out.getBytes(StandardCharsets.UTF_8)).messages()).isEqualTo(canonical.messages());
  }

  /** A Codex body large enough to be read after its previous turn: its spans come from that read. */
  @Test
  void aLargeTurnWhoseCallAloneChangedKeepsTheBytesOfItsOtherItems() {
    String large = CODEX.replace("\"Now b.rs\"", "\"" + "Now b.rs ".repeat(2_000) + "\"");
    Envelope canonical = new Canonicalizer().apply(read(large.getBytes(StandardCharsets.UTF_8)), null);
    assertThat(canonical.memory()).isNotNull();

    String out = ResponsesRequestWriter.write(canonical, "gpt-5").toString(StandardCharsets.UTF_8);

    assertThat(out).contains(REASONING + "," + ANSWER + ",{\"type\":\"function_call\",\"call_id\":\"call_1\"")
        .contains("\"arguments\":\"{\\\"command\\\":[\\\"cat\\\",\\\"a.rs\\\"],\\\"cwd\\\":\\\"/w\\\"}\"");
    assertThat(read(out.getBytes(StandardCharsets.UTF_8)).messages()).isEqualTo(canonical.messages());
  }

  /** Each turn changed in turn: read back, the request says what the edited envelope says. */
  @Test
  void everyEditReadsBackAsTheEditedRequest() {
    Envelope sent = read(CODEX.getBytes(StandardCharsets.UTF_8));
    List<Envelope> edits = new ArrayList<>();
    for (int i = 0; i < sent.messages().size(); i++) {
      Message m = sent.messages().get(i);
      List<Block> blocks = new ArrayList<>();
      for (Block b : m.content()) {
        blocks.add(b instanceof Block.ToolUse u ? new Block.ToolUse(u.id(), u.name(), "{}", u.extra()) : b);
      }
      edits.add(withMessage(sent, i, m.withContent(blocks, m.plainText())));
      if (Message.USER.equals(m.role())) {
        edits.add(withMessage(sent, i, Message.text(Message.USER, "new")));
      }
    }
    List<Message> longer = new ArrayList<>(sent.messages());
    longer.add(Message.text(Message.USER, "one more"));
    edits.add(sent.toBuilder().messages(longer).build());
    edits.add(new Canonicalizer().apply(sent, null));

    for (Envelope edit : edits) {
      String out = ResponsesRequestWriter.write(edit, "gpt-5").toString(StandardCharsets.UTF_8);
      Envelope back = read(out.getBytes(StandardCharsets.UTF_8));
      assertThat(back.messages()).as(out).isEqualTo(edit.messages());
      // a tool written again gets the API's defaults spelled out (strict), its schema as the stage left it
      assertThat(back.tools()).extracting(Tool::name, Tool::schema)
          .isEqualTo(edit.tools().stream().map(t -> tuple(t.name(), t.schema())).toList());
      assertThat(out).contains("\n");
    }
  }

  private static Envelope withMessage(Envelope env, int index, Message message) {
    List<Message> messages = new ArrayList<>(env.messages());
    messages.set(index, message);
    return env.toBuilder().messages(messages).build();
  }
}
