package io.tokenrouter.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Part;
import io.tokenrouter.envelope.Tool;
import io.tokenrouter.envelope.ToolCall;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Writes an {@link Envelope} as an OpenAI chat completions request body. */
final class OpenAiRequestWriter {
  private OpenAiRequestWriter() {}

  /**
   * @param upstreamModel the provider's name for the model
   * @return the body; for a stream, {@code stream_options.include_usage} is forced on so usage is
   *     always captured (the relay hides the extra chunk from clients that did not ask)
   */
  static Buffer write(Envelope env, String upstreamModel) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", upstreamModel);
      g.writeArrayFieldStart("messages");
      for (Message m : env.messages()) {
        writeMessage(g, m);
      }
      g.writeEndArray();
      if (!env.tools().isEmpty()) {
        g.writeArrayFieldStart("tools");
        for (Tool t : env.tools()) {
          writeTool(g, t);
        }
        g.writeEndArray();
      }
      if (env.toolChoice() != null) {
        g.writeFieldName("tool_choice");
        g.writeTree(env.toolChoice());
      }
      if (env.stream()) {
        g.writeBooleanField("stream", true);
      }
      for (Map.Entry<String, JsonNode> p : env.params().properties()) {
        if (env.stream() && p.getKey().equals("stream_options")) {
          continue;
        }
        g.writeFieldName(p.getKey());
        g.writeTree(p.getValue());
      }
      if (env.stream()) {
        ObjectNode options = env.params().get("stream_options") instanceof ObjectNode o
            ? o.deepCopy() : Json.MAPPER.createObjectNode();
        options.put("include_usage", true);
        g.writeFieldName("stream_options");
        g.writeTree(options);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(out.toByteArray());
  }

  private static void writeMessage(JsonGenerator g, Message m) throws IOException {
    g.writeStartObject();
    g.writeStringField("role", m.role());
    if (m.content() == null) {
      g.writeNullField("content");
    } else if (m.plainText()) {
      g.writeStringField("content", m.text());
    } else {
      g.writeArrayFieldStart("content");
      for (Part p : m.content()) {
        g.writeStartObject();
        g.writeStringField("type", p.type());
        if (p.isText()) {
          g.writeStringField("text", p.text());
        }
        writeFields(g, p.fields());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (!m.toolCalls().isEmpty()) {
      g.writeArrayFieldStart("tool_calls");
      for (ToolCall c : m.toolCalls()) {
        g.writeStartObject();
        g.writeStringField("id", c.id());
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        g.writeStringField("name", c.name());
        g.writeStringField("arguments", c.arguments());
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (m.toolCallId() != null) {
      g.writeStringField("tool_call_id", m.toolCallId());
    }
    writeFields(g, m.extra());
    g.writeEndObject();
  }

  private static void writeTool(JsonGenerator g, Tool t) throws IOException {
    if (!t.isFunction()) {
      g.writeTree(t.extra());
      return;
    }
    g.writeStartObject();
    g.writeStringField("type", "function");
    g.writeObjectFieldStart("function");
    g.writeStringField("name", t.name());
    if (t.description() != null) {
      g.writeStringField("description", t.description());
    }
    if (t.parameters() != null) {
      g.writeFieldName("parameters");
      g.writeTree(t.parameters());
    }
    writeFields(g, t.extra());
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void writeFields(JsonGenerator g, ObjectNode fields) throws IOException {
    if (fields == null) {
      return;
    }
    for (Map.Entry<String, JsonNode> f : fields.properties()) {
      g.writeFieldName(f.getKey());
      g.writeTree(f.getValue());
    }
  }
}
