package io.tokenrouter.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.EditedBody;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Tool;
import io.tokenrouter.envelope.ToolChoice;
import io.tokenrouter.provider.RequestBodies;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes an {@link Envelope} as an OpenAI chat completions request body.
 *
 * <p>A request that arrived in this format and was not changed goes out as the client's own
 * bytes, with the provider's model name ({@link OriginalBody}) and a stream's usage option
 * ({@link StreamUsageOption}) put in; one a stage changed, as the client's bytes with only the
 * changed messages and tools written again ({@link EditedBody}). Otherwise it is written from the
 * envelope: fields the client sent in this format are kept as they were; a request from another
 * API is translated (Anthropic's tool results become {@code tool} messages, its top-level system
 * a system message) and loses only what OpenAI has no place for (thinking blocks, prompt-cache
 * markers, Anthropic-only parameters).
 */
final class OpenAiRequestWriter {
  /** Anthropic parameters with no OpenAI meaning; an OpenAI server would reject them. */
  private static final Set<String> ANTHROPIC_ONLY = Set.of("thinking", "top_k", "metadata", "context_management",
      "output_config", "container", "mcp_servers", "service_tier", "cache_control", "inference_geo");

  private OpenAiRequestWriter() {}

  /** The parts of a chat request written back as the client wrote them, for {@link EditedBody}. */
  private static final EditedBody.Encoder AS_SENT = new EditedBody.Encoder() {
    @Override
    public void system(JsonGenerator json, Message system) throws IOException {
      writeMessage(json, system, true);
    }

    @Override
    public void message(JsonGenerator json, Message message) throws IOException {
      writeMessage(json, message, true);
    }

    @Override
    public void tool(JsonGenerator json, Tool tool) throws IOException {
      writeTool(json, tool, true);
    }

    @Override
    public boolean callsAreAMember() {
      return true;
    }

    @Override
    public void calls(JsonGenerator json, List<Block.ToolUse> calls) throws IOException {
      writeCalls(json, calls);
    }
  };

  /**
   * @param model the provider's name for the model
   * @return the body; for a stream, {@code stream_options.include_usage} is forced on so usage is
   *     always captured (the reply hides the extra chunk from clients that did not ask)
   */
  static Buffer write(Envelope env, String model) {
    boolean same = env.dialect() == Dialect.OPENAI_CHAT;
    Buffer own = same ? StreamUsageOption.clientBytes(env, model, AS_SENT) : null;
    if (own != null) {
      return own;
    }
    ByteArrayBuilder out = new ByteArrayBuilder();
    try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("model", model);
      g.writeArrayFieldStart("messages");
      if (env.system() != null) {
        writeMessage(g, env.system(), same);
      }
      for (Message m : env.messages()) {
        writeMessage(g, m, same);
      }
      g.writeEndArray();
      // Anthropic's server tools (web search, bash, code execution) cannot run on an OpenAI-format
      // server, which would reject the whole request for them
      List<Tool> tools = same ? env.tools() : env.tools().stream().filter(Tool::isFunction).toList();
      if (!tools.isEmpty()) {
        g.writeArrayFieldStart("tools");
        for (Tool t : tools) {
          writeTool(g, t, same);
        }
        g.writeEndArray();
        writeToolChoice(g, env.toolChoice(), same);
        if (env.parallelToolCalls() != null) {
          g.writeBooleanField("parallel_tool_calls", env.parallelToolCalls());
        }
      }
      if (env.stream()) {
        g.writeBooleanField("stream", true);
      }
      if (env.maxOutput() != null) {
        String field = same && env.maxOutput().field() != null ? env.maxOutput().field() : maxTokensField(model);
        g.writeNumberField(field, env.maxOutput().tokens());
      }
      if (!env.stopSequences().isEmpty()) {
        g.writeArrayFieldStart("stop");
        for (String s : env.stopSequences()) {
          g.writeString(s);
        }
        g.writeEndArray();
      }
      for (Map.Entry<String, JsonNode> p : env.params().entrySet()) {
        String name = p.getKey();
        if (name.equals("stream_options") && env.stream() || !same && ANTHROPIC_ONLY.contains(name)) {
          continue;
        }
        if (env.dialect() == Dialect.OPENAI_RESPONSES) {
          ResponsesParams.write(g, name, p.getValue());
          continue;
        }
        g.writeFieldName(name);
        g.writeTree(p.getValue());
      }
      if (!same && env.params().get("metadata") instanceof ObjectNode metadata
          && metadata.path("user_id").isTextual() && !env.params().containsKey("user")) {
        g.writeStringField("user", metadata.get("user_id").asText());
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
    return RequestBodies.of(out.toByteArray());
  }

  /** OpenAI's reasoning models refuse {@code max_tokens}; most compatible servers know only it. */
  private static String maxTokensField(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    boolean reasoning = m.startsWith("o1") || m.startsWith("o3") || m.startsWith("o4") || m.startsWith("gpt-5");
    return reasoning ? "max_completion_tokens" : "max_tokens";
  }

  private static void writeMessage(JsonGenerator g, Message m, boolean same) throws IOException {
    List<Block.ToolResult> results = new ArrayList<>();
    List<Block> rest = new ArrayList<>(m.content().size());
    List<Block.ToolUse> calls = new ArrayList<>();
    for (Block b : m.content()) {
      switch (b) {
        case Block.ToolResult r -> results.add(r);
        case Block.ToolUse u -> calls.add(u);
        case Block.Thinking t -> { }
        case Block.RedactedThinking t -> { }
        // an empty text block from another API carries nothing; a part array of them only breaks servers
        case Block.Text t when !same && t.text().isEmpty() -> { }
        case Block.Opaque o when o.dialect() == Dialect.OPENAI_RESPONSES -> { }
        default -> rest.add(b);
      }
    }
    // OpenAI answers each tool call in a tool message of its own, right after the calls
    for (Block.ToolResult r : results) {
      g.writeStartObject();
      g.writeStringField("role", "tool");
      g.writeStringField("tool_call_id", r.toolUseId());
      g.writeFieldName("content");
      writeContent(g, r.content(), r.plainText() || allText(r.content()), same);
      if (same) {
        writeFields(g, m.extra());
      }
      g.writeEndObject();
    }
    boolean assistant = Message.ASSISTANT.equals(m.role());
    boolean empty = rest.isEmpty() && calls.isEmpty();
    // a translated turn whose every block was another API's own (reasoning items) has nothing to say here
    if (empty && (!results.isEmpty() || !same && (assistant || !m.content().isEmpty()))) {
      return;
    }
    g.writeStartObject();
    // developer is OpenAI's newer name for system, which every compatible server knows
    String role = Message.TOOL.equals(m.role()) ? Message.USER
        : !same && Message.DEVELOPER.equals(m.role()) ? Message.SYSTEM : m.role();
    g.writeStringField("role", role);
    if (rest.isEmpty() && assistant) {
      g.writeNullField("content");
    } else {
      g.writeFieldName("content");
      // text translated from another API goes as one string, the form every compatible server
      // accepts (some reject part arrays, in system and assistant messages above all)
      writeContent(g, rest, m.plainText() || !same && allText(rest), same);
    }
    if (!calls.isEmpty()) {
      g.writeFieldName("tool_calls");
      writeCalls(g, calls);
    }
    if (same) {
      writeFields(g, m.extra());
    }
    g.writeEndObject();
  }

  private static void writeCalls(JsonGenerator g, List<Block.ToolUse> calls) throws IOException {
    g.writeStartArray();
    for (Block.ToolUse c : calls) {
      g.writeStartObject();
      g.writeStringField("id", c.id());
      g.writeStringField("type", "function");
      g.writeObjectFieldStart("function");
      g.writeStringField("name", c.name());
      g.writeStringField("arguments", c.input());
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static boolean allText(List<Block> blocks) {
    for (Block b : blocks) {
      if (!(b instanceof Block.Text)) {
        return false;
      }
    }
    return true;
  }

  private static void writeContent(JsonGenerator g, List<Block> blocks, boolean asString, boolean same)
      throws IOException {
    if (asString) {
      // blocks of another API are separate paragraphs; joined without a break they would run together
      String separator = same ? "" : "\n";
      StringBuilder text = new StringBuilder();
      for (Block b : blocks) {
        if (b instanceof Block.Text t && !(t.text().isEmpty() && !same)) {
          if (!text.isEmpty()) {
            text.append(separator);
          }
          text.append(t.text());
        }
      }
      g.writeString(text.toString());
      return;
    }
    g.writeStartArray();
    for (Block b : blocks) {
      switch (b) {
        case Block.Text t -> {
          g.writeStartObject();
          g.writeStringField("type", "text");
          g.writeStringField("text", t.text());
          if (same) {
            writeFields(g, t.extra());
          }
          g.writeEndObject();
        }
        case Block.Image i -> {
          g.writeStartObject();
          g.writeStringField("type", "image_url");
          g.writeObjectFieldStart("image_url");
          g.writeStringField("url", i.url());
          JsonNode detail = i.extra().get("detail");
          if (detail != null) {
            g.writeFieldName("detail");
            g.writeTree(detail);
          }
          g.writeEndObject();
          g.writeEndObject();
        }
        case Block.Opaque o -> g.writeTree(o.json());
        default -> { }
      }
    }
    g.writeEndArray();
  }

  private static void writeTool(JsonGenerator g, Tool t, boolean same) throws IOException {
    if (!t.isFunction()) {
      g.writeTree(t.raw());
      return;
    }
    g.writeStartObject();
    g.writeStringField("type", "function");
    g.writeObjectFieldStart("function");
    g.writeStringField("name", t.name());
    if (t.description() != null) {
      g.writeStringField("description", t.description());
    }
    if (t.schema() != null) {
      g.writeFieldName("parameters");
      g.writeTree(t.schema());
    }
    if (same) {
      writeFields(g, t.extra());
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void writeToolChoice(JsonGenerator g, ToolChoice choice, boolean same) throws IOException {
    if (choice == null) {
      return;
    }
    switch (choice.mode()) {
      case AUTO -> g.writeStringField("tool_choice", "auto");
      case ANY -> g.writeStringField("tool_choice", "required");
      case NONE -> g.writeStringField("tool_choice", "none");
      case TOOL -> {
        g.writeObjectFieldStart("tool_choice");
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        g.writeStringField("name", choice.name());
        g.writeEndObject();
        g.writeEndObject();
      }
      case OTHER -> {
        if (same) {
          g.writeFieldName("tool_choice");
          g.writeTree(choice.raw());
        }
      }
    }
  }

  private static void writeFields(JsonGenerator g, Map<String, JsonNode> fields) throws IOException {
    for (Map.Entry<String, JsonNode> f : fields.entrySet()) {
      g.writeFieldName(f.getKey());
      g.writeTree(f.getValue());
    }
  }
}
