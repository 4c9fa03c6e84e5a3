package io.tokenrouter.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.api.openai.ChatCompletionsApi;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.pipeline.Canonicalizer;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
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

  @Test
  void aChangedStreamStillAsksForUsage() throws Exception {
    String stream = AGENT.replace("\"temperature\": 0.70,", "\"temperature\": 0.70, \"stream\": true,");

    String out = OpenAiRequestWriter.write(canonical(stream), "gpt-4o").toString(StandardCharsets.UTF_8);

    assertThat(out).startsWith("{\"stream_options\":{\"include_usage\":true},\"model\": \"gpt-4o\",");
    assertThat(Json.MAPPER.readTree(out).get("messages")).hasSize(4);
  }
}
