package io.tokenrouter.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.api.openai.ChatCompletionsApi;
import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Fields;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Tool;
import io.tokenrouter.pipeline.Canonicalizer;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenAiRequestWriter} for a chat request a stage changed: the client's bytes for every
 * message and tool the stage left alone, only the changed ones written again.
 */
class OpenAiRequestWriterEditedTest {
  private static final String UNTOUCHED = "{\"role\": \"user\",  \"content\": [{\"type\": \"text\", \"text\": \"Read a.txt\"}]}";

  private static final String AGENT = """
      {"model": "fast", "temperature": 0.70,
       "messages": [
         {"role": "system", "content": "You are an agent.  \\n\\n\\n\\nBe brief.  "},
         %s,
         {"role": "assistant", "content": null,
          "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "read", "arguments": "{\\"path\\":\\"a.txt\\",\\"limit\\":5}"}}]},
         {"role": "tool", "tool_call_id": "call_1", "content": "file body"}
       ],
       "tools": [{"type": "function", "function": {"name": "read", "parameters": {"type": "object", "properties": {}}}}],
       "x_vendor": [1, 2]}
      """.formatted(UNTOUCHED);

  private static Envelope canonical(String body) {
    Envelope read = new ChatCompletionsApi().read(body.getBytes(StandardCharsets.UTF_8),
        MultiMap.caseInsensitiveMultiMap());
    return new Canonicalizer().apply(read, null);
  }

  @Test
  void theMessagesTheStageLeftAloneGoOutAsTheClientsBytes() throws Exception {
    Envelope env = canonical(AGENT);
    assertThat(env.original()).isNull();

    String out = OpenAiRequestWriter.write(env, "gpt-4o").toString(StandardCharsets.UTF_8);

    assertThat(out).startsWith("{\"model\": \"gpt-4o\", \"temperature\": 0.70,")
        .contains(UNTOUCHED + ",{\"role\": \"assistant\"")
        // the assistant turn keeps its own bytes but for its tool calls, written again with sorted arguments
        .contains("{\"role\": \"assistant\", \"content\": null,\n    \"tool_calls\": [{\"id\":\"call_1\",\"type\":\"function\","
            + "\"function\":{\"name\":\"read\",\"arguments\":\"{\\\"limit\\\":5,\\\"path\\\":\\\"a.txt\\\"}\"}}]}")
        .contains("{\"role\": \"tool\", \"tool_call_id\": \"call_1\", \"content\": \"file body\"}")
        .endsWith("\"x_vendor\": [1, 2]}\n");
    ObjectNode expected = (ObjectNode) Json.MAPPER.readTree(AGENT);
    expected.put("model", "gpt-4o");
    ((ObjectNode) expected.at("/messages/0")).put("content", "You are an agent.\n\nBe brief.");
    ((ObjectNode) expected.at("/messages/2/tool_calls/0/function")).put("arguments", "{\"limit\":5,\"path\":\"a.txt\"}");
    assertThat(Json.MAPPER.readTree(out)).isEqualTo(expected);
  }

  /** Each message changed in turn, its text or its tool calls, and the tools: the same JSON as a whole write. */
  @Test
  void everyEditMeansWhatTheWholeRequestWrittenAgainMeans() throws Exception {
    assertEveryEditMeansTheWholeWrite(AGENT);
  }

  /**
   * The same for an agent's body large enough to be read after its previous turn (its spans come
   * from that read), read twice: the second read takes over every value of the first.
   */
  @Test
  void everyEditOfALargeBodyMeansWhatTheWholeRequestWrittenAgainMeans() throws Exception {
    String large = AGENT.replace("\"x_vendor\"", "\"x_pad\": \"" + "p".repeat(20_000) + "\", \"x_vendor\"");
    assertEveryEditMeansTheWholeWrite(large);
    assertEveryEditMeansTheWholeWrite(large);
  }

  private static void assertEveryEditMeansTheWholeWrite(String body) throws Exception {
    Envelope sent = new ChatCompletionsApi().read(body.getBytes(StandardCharsets.UTF_8),
        MultiMap.caseInsensitiveMultiMap());
    List<Envelope> edits = new ArrayList<>();
    for (int i = 0; i < sent.messages().size(); i++) {
      Message m = sent.messages().get(i);
      List<Block> blocks = new ArrayList<>();
      for (Block b : m.content()) {
        blocks.add(b instanceof Block.ToolUse u ? new Block.ToolUse(u.id(), u.name(), "{}", u.extra()) : b);
      }
      edits.add(withMessage(sent, i, m.withContent(blocks, m.plainText())));
      edits.add(withMessage(sent, i, Message.text(m.role().equals(Message.TOOL) ? Message.USER : m.role(), "new")));
    }
    edits.add(sent.toBuilder().tools(List.of(Tool.function("other", "d", null, null))).build());
    // what the cache stage adds for OpenAI's own servers
    edits.add(sent.toBuilder().params(Fields.with(sent.params(), "prompt_cache_key",
        Json.MAPPER.getNodeFactory().textNode("tr-1"))).build());

    for (Envelope edit : edits) {
      String edited = OpenAiRequestWriter.write(edit, "gpt-4o").toString(StandardCharsets.UTF_8);
      Envelope whole = new Envelope(edit.dialect(), edit.operation(), edit.model(), edit.system(), edit.messages(),
          edit.tools(), edit.toolChoice(), edit.parallelToolCalls(), edit.stream(), edit.maxOutput(),
          edit.stopSequences(), edit.params(), edit.headers(), null);
      assertThat(Json.MAPPER.readTree(edited)).as(edited)
          .isEqualTo(Json.MAPPER.readTree(OpenAiRequestWriter.write(whole, "gpt-4o").getBytes()));
      assertThat(edited).contains("\n");
    }
  }

  private static Envelope withMessage(Envelope env, int index, Message message) {
    List<Message> messages = new ArrayList<>(env.messages());
    messages.set(index, message);
    return env.toBuilder().messages(messages).build();
  }

  @Test
  void aChangedStreamStillAsksForUsage() throws Exception {
    String stream = AGENT.replace("\"temperature\": 0.70,", "\"temperature\": 0.70, \"stream\": true,");

    String out = OpenAiRequestWriter.write(canonical(stream), "gpt-4o").toString(StandardCharsets.UTF_8);

    assertThat(out).startsWith("{\"stream_options\":{\"include_usage\":true},\"model\": \"gpt-4o\",");
    assertThat(Json.MAPPER.readTree(out).get("messages")).hasSize(4);
  }
}
