package io.tokenrouter.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.api.anthropic.CountTokensApi;
import io.tokenrouter.api.anthropic.MessagesApi;
import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Envelope;
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
 * {@link AnthropicRequestWriter} for a request that arrived in Anthropic's own format: the
 * client's bytes while nothing changed, the client's body with only the model renamed when the
 * model is mapped, and, once a stage changed the envelope, a rebuilt body that still carries
 * every field and block as the client sent it.
 */
class AnthropicDialectWriterTest {
  /** What Claude Code sends, in small: every kind of block and field the gateway must keep. */
  private static final String CLAUDE_CODE = """
      {"model":"claude-x","max_tokens":32000,"stream":true,
       "system":[{"type":"text","text":"x-billing: 1"},
                 {"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}}],
       "tools":[{"name":"Read","description":"Read a file","input_schema":{"type":"object","properties":{}},
                 "cache_control":{"type":"ephemeral"}},
                {"name":"Later","description":"Deferred","input_schema":{"type":"object"},"defer_loading":true},
                {"type":"web_search_20250305","name":"web_search","max_uses":3}],
       "tool_choice":{"type":"auto","disable_parallel_tool_use":true},
       "stop_sequences":["</done>"],
       "thinking":{"type":"adaptive"},"context_management":{"edits":[{"type":"clear_thinking_20251015"}]},
       "output_config":{"effort":"high"},"metadata":{"user_id":"u_1"},"x_unknown":[1,{"a":null}],
       "messages":[
         {"role":"user","content":[{"type":"text","text":"<system-reminder>ctx</system-reminder>"},
           {"type":"text","text":"Read a.txt","x_block":true}]},
         {"role":"assistant","content":[{"type":"thinking","thinking":"Reading.","signature":"c2ln"},
           {"type":"redacted_thinking","data":"b3BhcXVl"},
           {"type":"tool_use","id":"toolu_1","name":"Read","input":{"path":"a.txt","n":[1,2]}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","is_error":false,
             "content":[{"type":"text","text":"file body"},
                        {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBO"}}]},
           {"type":"tool_result","tool_use_id":"toolu_2","content":"plain result"},
           {"type":"document","source":{"type":"text","media_type":"text/plain","data":"doc"},"title":"T"},
           {"type":"image","source":{"type":"url","url":"https://example.com/i.png"},"cache_control":{"type":"ephemeral"}},
           {"type":"text","text":"Go on","cache_control":{"type":"ephemeral","ttl":"1h"}}]},
         {"role":"assistant","content":"Plain string turn"},
         {"role":"user","content":[{"type":"text","text":"Last"}]}]}
      """;

  private static Envelope read(String body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("anthropic-version", "2023-06-01");
    return new MessagesApi(null).read(body.getBytes(StandardCharsets.UTF_8), headers);
  }

  private static JsonNode tree(byte[] bytes) throws Exception {
    return Json.MAPPER.readTree(bytes);
  }

  @Test
  void anUnchangedRequestIsTheClientsBytes() {
    Envelope env = read(CLAUDE_CODE);
    assertThat(AnthropicRequestWriter.write(env, "claude-x").getBytes())
        .isEqualTo(CLAUDE_CODE.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aMappedModelChangesOnlyTheModelsBytes() {
    String sent = CLAUDE_CODE.replace("\"stream\":true", "\"stream\":false");
    byte[] out = AnthropicRequestWriter.write(read(sent), "claude-real").getBytes();

    assertThat(new String(out, StandardCharsets.UTF_8))
        .isEqualTo(sent.replace("{\"model\":\"claude-x\",", "{\"model\":\"claude-real\","));
  }

  @Test
  void aBodyWithTwoModelsIsMappedToOneModel() throws Exception {
    String sent = "{\"model\":\"a\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"model\":\"claude-x\"}";
    JsonNode out = tree(AnthropicRequestWriter.write(read(sent), "claude-real").getBytes());

    assertThat(out.get("model").asText()).isEqualTo("claude-real");
    assertThat(out.get("max_tokens").asInt()).isEqualTo(5);
  }

  @Test
  void aChangedEnvelopeIsRebuiltWithEveryFieldAndBlockAsSent() throws Exception {
    Envelope changed = read(CLAUDE_CODE).toBuilder().maxOutputTokens(1000).build();
    assertThat(changed.original()).isNull();

    JsonNode out = tree(AnthropicRequestWriter.write(changed, "claude-x").getBytes());

    ObjectNode expected = (ObjectNode) Json.MAPPER.readTree(CLAUDE_CODE);
    expected.put("max_tokens", 1000);
    assertThat(out).isEqualTo(expected);
  }

  @Test
  void aCanonicalisedRequestKeepsTheClientsBytesOfWhatTheStageLeftAlone() throws Exception {
    Envelope canonical = new Canonicalizer().apply(read(CLAUDE_CODE), null);
    assertThat(canonical.original()).isNull();

    byte[] out = AnthropicRequestWriter.write(canonical, "claude-x").getBytes();

    assertThat(tree(out)).isEqualTo(tree(CLAUDE_CODE.getBytes(StandardCharsets.UTF_8)));
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(text).contains("{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Read\","
        + "\"input\":{\"n\":[1,2],\"path\":\"a.txt\"}}");
    // the untouched user turn, its line break and indentation as the client sent them
    assertThat(text).contains(CLAUDE_CODE.substring(CLAUDE_CODE.indexOf("{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\""),
        CLAUDE_CODE.indexOf(",\n   {\"role\":\"assistant\",\"content\":\"Plain")));
  }

  /** The same request with nothing to copy from: what the writer builds field by field. */
  private static Envelope withoutClientBytes(Envelope e) {
    return new Envelope(e.dialect(), e.operation(), e.model(), e.system(), e.messages(), e.tools(), e.toolChoice(),
        e.parallelToolCalls(), e.stream(), e.maxOutput(), e.stopSequences(), e.params(), e.headers(), null);
  }

  /** Each block changed in turn, then each message, tool and the system: the same JSON as a whole write. */
  @Test
  void everyEditMeansWhatTheWholeRequestWrittenAgainMeans() throws Exception {
    for (Envelope edit : edits(read(CLAUDE_CODE))) {
      assertThat(edit.memory()).isNull();
      assertSplicedAsWhole(edit);
    }
  }

  /**
   * An agent's body, large enough to be read after its previous turn: each changed part is the
   * same object again on the next turn, and what was written for it is written again.
   */
  @Test
  void aChangedPartMetAgainIsWrittenAsTheFirstTime() throws Exception {
    String pad = "\"x_pad\":\"" + "p".repeat(20_000) + "\",";
    Envelope sent = read(CLAUDE_CODE.replace("\"x_unknown\":", pad + "\"x_unknown\":"));
    List<Envelope> edits = edits(sent);
    List<byte[]> first = new ArrayList<>();
    for (Envelope edit : edits) {
      assertThat(edit.memory()).isNotNull();
      first.add(assertSplicedAsWhole(edit));
    }
    for (int i = 0; i < edits.size(); i++) {
      assertThat(AnthropicRequestWriter.write(edits.get(i), "claude-y").getBytes()).isEqualTo(first.get(i));
    }
  }

  private static byte[] assertSplicedAsWhole(Envelope edit) throws Exception {
    assertThat(edit.original()).isNull();
    byte[] edited = AnthropicRequestWriter.write(edit, "claude-y").getBytes();
    byte[] whole = AnthropicRequestWriter.write(withoutClientBytes(edit), "claude-y").getBytes();
    assertThat(tree(edited)).as(new String(edited, StandardCharsets.UTF_8)).isEqualTo(tree(whole));
    // the client's line breaks: the edit was spliced into its bytes, not written whole
    assertThat(new String(edited, StandardCharsets.UTF_8)).contains("\n");
    return edited;
  }

  private static List<Envelope> edits(Envelope sent) {
    List<Envelope> edits = new ArrayList<>();
    for (int i = 0; i < sent.messages().size(); i++) {
      Message m = sent.messages().get(i);
      for (int j = 0; j < m.content().size(); j++) {
        List<Block> blocks = new ArrayList<>(m.content());
        blocks.set(j, Block.Text.of("changed " + i + "/" + j));
        edits.add(withMessage(sent, i, m.withContent(blocks, false)));
      }
      edits.add(withMessage(sent, i, Message.text(m.role(), "replaced " + i)));
    }
    List<Message> longer = new ArrayList<>(sent.messages());
    longer.add(Message.text(Message.USER, "one more"));
    edits.add(sent.toBuilder().messages(longer).build());
    edits.add(sent.toBuilder().messages(sent.messages().subList(0, 2)).build());
    edits.add(sent.toBuilder().tools(List.of(sent.tools().get(1), Tool.function("New", null, null, null))).build());
    edits.add(sent.toBuilder().system(sent.system().withContent(List.of(Block.Text.of("one system")), false)).build());
    edits.add(sent.toBuilder().system(Message.text(Message.SYSTEM, "plain system")).build());
    return edits;
  }

  private static Envelope withMessage(Envelope env, int index, Message message) {
    List<Message> messages = new ArrayList<>(env.messages());
    messages.set(index, message);
    return env.toBuilder().messages(messages).build();
  }

  @Test
  void countTokensIsWrittenWithoutMaxTokensOrStream() throws Exception {
    String body = "{\"model\":\"claude-x\",\"system\":\"S\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"tools\":[{\"name\":\"t\",\"input_schema\":{\"type\":\"object\"}}]}";
    Envelope env = new CountTokensApi().read(body.getBytes(StandardCharsets.UTF_8), MultiMap.caseInsensitiveMultiMap());

    assertThat(AnthropicRequestWriter.write(env, "claude-x").getBytes()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
    JsonNode mapped = tree(AnthropicRequestWriter.write(env.toBuilder().model("claude-y").build(), "claude-y")
        .getBytes());
    assertThat(mapped.has("max_tokens")).isFalse();
    assertThat(mapped.has("stream")).isFalse();
    assertThat(mapped.path("system").asText()).isEqualTo("S");
    assertThat(mapped.path("tools")).hasSize(1);
  }
}
