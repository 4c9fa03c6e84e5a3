package io.tokenrouter.provider.anthropic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.EditedBody;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Operation;
import io.tokenrouter.envelope.OriginalBody;
import io.tokenrouter.envelope.Tool;
import io.tokenrouter.envelope.ToolChoice;
import io.tokenrouter.provider.RequestBodies;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes an {@link Envelope} as an Anthropic Messages request body.
 *
 * <p>A request that arrived in this format goes out as the client's own bytes while nothing
 * changed it, with only the changed blocks, messages and tools written again once a stage did
 * ({@link EditedBody}), and field for field as the client sent it when the body cannot be edited
 * so. A request from an OpenAI client is reshaped: Anthropic takes system instructions apart
 * from the conversation, wants user and assistant turns to alternate, answers tool calls inside a
 * user turn, and rejects empty text blocks.
 */
final class AnthropicRequestWriter {
  /** Anthropic requires max_tokens; OpenAI clients usually leave it out. */
  static final int DEFAULT_MAX_TOKENS = 4096;

  private static final JsonNode EMPTY_SCHEMA = Json.MAPPER.createObjectNode()
      .put("type", "object").set("properties", Json.MAPPER.createObjectNode());

  /** OpenAI parameters Anthropic has no use for; it answers 400 to fields it does not know. */
  private static final Set<String> OPENAI_ONLY = Set.of("n", "presence_penalty", "frequency_penalty", "logprobs",
      "top_logprobs", "logit_bias", "response_format", "seed", "stream_options", "service_tier", "store",
      "prompt_cache_key", "prompt_cache_retention", "reasoning_effort", "verbosity", "modalities", "audio",
      "prediction", "web_search_options", "functions", "function_call", "user", "safety_identifier",
      // the Responses API's own
      "include", "truncation", "background", "previous_response_id", "conversation", "max_tool_calls", "prompt",
      "text", "reasoning",
      // legacy completions'
      "echo", "suffix", "best_of");

  /** The parts of a request in this format written back as the client wrote them. */
  private static final EditedBody.Encoder AS_SENT = new EditedBody.Encoder() {
    @Override
    public void system(JsonGenerator json, Message system) throws IOException {
      json.writeTree(AnthropicRequestWriter.system(system));
    }

    @Override
    public void message(JsonGenerator json, Message m) throws IOException {
      json.writeTree(Turn.asSent(m).json());
    }

    @Override
    public void tool(JsonGenerator json, Tool tool) throws IOException {
      json.writeTree(AnthropicRequestWriter.tool(tool, true));
    }

    @Override
    public boolean blocksAreContent() {
      return true;
    }

    @Override
    public void block(JsonGenerator json, Block block) throws IOException {
      for (JsonNode node : blocks(List.of(block), true)) {
        json.writeTree(node);
      }
    }
  };

  private AnthropicRequestWriter() {}

  /**
   * One message to write.
   *
   * @param collapse a lone bare text block may go as a plain string
   * @param extra the message's other fields, written back for a client of this format
   */
  private record Turn(String role, ArrayNode blocks, boolean collapse, Map<String, JsonNode> extra) {
    /** A message that arrived in this format, as written: a string stays a string, a one-block array an array. */
    static Turn asSent(Message m) {
      return new Turn(m.role(), AnthropicRequestWriter.blocks(m.content(), true), m.plainText(), m.extra());
    }

    ObjectNode json() {
      ObjectNode message = Json.MAPPER.createObjectNode().put("role", role);
      message.set("content", collapse ? AnthropicRequestWriter.collapse(blocks) : blocks);
      copy(message, extra);
      return message;
    }
  }

  static Buffer write(Envelope env, String model) {
    boolean same = env.dialect() == Dialect.ANTHROPIC_MESSAGES;
    if (same && env.original() != null) {
      byte[] own = OriginalBody.of(env, model);
      return own != null ? RequestBodies.of(own) : reparsedWithModel(env.original(), model);
    }
    List<ByteBuffer> edited = same ? EditedBody.write(env, model, AS_SENT) : null;
    if (edited != null) {
      return RequestBodies.of(edited);
    }
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("model", model);
    if (env.operation() == Operation.GENERATE) {
      root.put("max_tokens", env.maxOutput() != null ? env.maxOutput().tokens() : DEFAULT_MAX_TOKENS);
    }
    JsonNode system = system(env, same);
    if (system != null) {
      root.set("system", system);
    }
    ArrayNode messages = root.putArray("messages");
    for (Turn t : turns(env, same)) {
      messages.add(t.json());
    }
    List<Tool> tools = env.tools();
    if (!tools.isEmpty()) {
      ArrayNode array = root.putArray("tools");
      for (Tool t : tools) {
        if (t.isFunction() || t.dialect() != Dialect.OPENAI_RESPONSES) {
          array.add(tool(t, same));
        }
      }
      JsonNode choice = toolChoice(env.toolChoice(), env.parallelToolCalls(), same);
      if (choice != null) {
        root.set("tool_choice", choice);
      }
    }
    if (!env.stopSequences().isEmpty()) {
      ArrayNode stops = root.putArray("stop_sequences");
      env.stopSequences().forEach(stops::add);
    }
    if (env.stream() && env.operation() == Operation.GENERATE) {
      root.put("stream", true);
    }
    writeParams(root, env, same);
    try {
      return RequestBodies.of(Json.MAPPER.writeValueAsBytes(root));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The client's own body with only the model renamed, for one {@link OriginalBody} cannot edit
   * (two {@code model} members: the last is the one read): every other field stays as it was (an
   * explicit {@code "stream": false} included), which rebuilding from the envelope would not keep.
   */
  private static Buffer reparsedWithModel(byte[] original, String model) {
    try {
      ObjectNode root = (ObjectNode) Json.MAPPER.readTree(original);
      root.put("model", model);
      return RequestBodies.of(Json.MAPPER.writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The top-level system: Anthropic's own as it came, plus, from an OpenAI client, its system and
   * developer messages wherever they were.
   */
  private static JsonNode system(Envelope env, boolean same) {
    Message top = env.system();
    if (same) {
      return top == null ? null : system(top);
    }
    ArrayNode system = Json.MAPPER.createArrayNode();
    if (top != null) {
      addBlocks(system, top.content(), false, true);
    }
    for (Message m : env.messages()) {
      if (m.isInstruction()) {
        addBlocks(system, m.content(), false, true);
      }
    }
    return system.isEmpty() ? null : system;
  }

  /** Anthropic's own system, as the client wrote it: a string or text blocks. */
  private static JsonNode system(Message top) {
    return top.plainText() ? Json.MAPPER.getNodeFactory().textNode(top.text()) : blocks(top.content(), true);
  }

  private static List<Turn> turns(Envelope env, boolean same) {
    List<Turn> turns = new ArrayList<>(env.messages().size());
    for (Message m : env.messages()) {
      if (same) {
        turns.add(Turn.asSent(m));
        continue;
      }
      if (m.isInstruction()) {
        continue;
      }
      String role = Message.ASSISTANT.equals(m.role()) ? Message.ASSISTANT : Message.USER;
      ArrayNode blocks = Json.MAPPER.createArrayNode();
      addBlocks(blocks, m.content(), false, false);
      append(turns, role, blocks);
    }
    return turns;
  }

  private static void append(List<Turn> turns, String role, ArrayNode blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    Turn last = turns.isEmpty() ? null : turns.getLast();
    if (last != null && last.role().equals(role)) {
      last.blocks().addAll(blocks);
    } else {
      turns.add(new Turn(role, blocks, true, Map.of()));
    }
  }

  /** A lone bare text block goes as a string, the form most Anthropic examples (and caches) use. */
  private static JsonNode collapse(ArrayNode blocks) {
    if (blocks.size() == 1 && blocks.get(0).size() == 2 && "text".equals(blocks.get(0).path("type").asText())) {
      return blocks.get(0).get("text");
    }
    return blocks;
  }

  private static ArrayNode blocks(List<Block> content, boolean same) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    addBlocks(out, content, same, false);
    return out;
  }

  /**
   * @param same the blocks arrived in Anthropic's format: written back as they were
   * @param textOnly only text survives (system instructions)
   */
  private static void addBlocks(ArrayNode out, List<Block> content, boolean same, boolean textOnly) {
    for (Block b : content) {
      if (textOnly && !(b instanceof Block.Text)) {
        continue;
      }
      switch (b) {
        case Block.Text t -> {
          if (same || !t.text().isEmpty()) {
            ObjectNode block = out.addObject().put("type", "text").put("text", t.text());
            if (same) {
              copy(block, t.extra());
            } else if (t.cacheControl() != null) {
              // an OpenAI client may mark a part with cache_control, as gateways commonly allow; its
              // other fields (a Responses part's annotations) Anthropic would reject
              block.set(Block.CACHE_CONTROL, t.cacheControl());
            }
          }
        }
        case Block.Image i -> out.add(image(i, same));
        case Block.ToolUse u -> {
          ObjectNode block = out.addObject().put("type", "tool_use").put("id", u.id()).put("name", u.name());
          block.set("input", same ? inputOf(u.input()) : objectOr(u.input()));
          if (same) {
            copy(block, u.extra());
          } else if (u.cacheControl() != null) {
            // a breakpoint the prompt pipeline placed on a translated request
            block.set(Block.CACHE_CONTROL, u.cacheControl());
          }
        }
        case Block.ToolResult r -> out.add(toolResult(r, same));
        case Block.Thinking t -> {
          if (same) {
            ObjectNode block = out.addObject().put("type", "thinking").put("thinking", t.thinking());
            if (t.signature() != null) {
              block.put("signature", t.signature());
            }
            copy(block, t.extra());
          }
        }
        case Block.RedactedThinking t -> {
          if (same) {
            copy(out.addObject().put("type", "redacted_thinking").put("data", t.data()), t.extra());
          }
        }
        case Block.Opaque o -> {
          // the Responses API's own items (reasoning, references) mean nothing to Anthropic
          if (o.dialect() != Dialect.OPENAI_RESPONSES) {
            out.add(o.json());
          }
        }
      }
    }
  }

  private static ObjectNode toolResult(Block.ToolResult r, boolean same) {
    ObjectNode result = Json.MAPPER.createObjectNode().put("type", "tool_result").put("tool_use_id", r.toolUseId());
    if (r.plainText()) {
      String text = r.content().isEmpty() || !(r.content().getFirst() instanceof Block.Text t) ? "" : t.text();
      if (same || !text.isEmpty()) {
        result.put("content", text);
      }
    } else {
      ArrayNode content = Json.MAPPER.createArrayNode();
      addBlocks(content, r.content(), same, false);
      if (same || !content.isEmpty()) {
        result.set("content", content);
      }
    }
    if (r.isError()) {
      result.put("is_error", true);
    }
    if (same) {
      copy(result, r.extra());
    } else if (r.cacheControl() != null) {
      result.set(Block.CACHE_CONTROL, r.cacheControl());
    }
    return result;
  }

  private static ObjectNode image(Block.Image image, boolean same) {
    String url = image.url() == null ? "" : image.url();
    ObjectNode block = Json.MAPPER.createObjectNode().put("type", "image");
    ObjectNode source = block.putObject("source");
    int comma = url.indexOf(',');
    int marker = url.indexOf(";base64");
    if (url.startsWith("data:") && marker > 0 && comma == marker + ";base64".length()) {
      source.put("type", "base64").put("media_type", url.substring("data:".length(), marker))
          .put("data", url.substring(comma + 1));
    } else {
      source.put("type", "url").put("url", url);
    }
    if (same) {
      copy(block, image.extra());
    } else if (image.cacheControl() != null) {
      block.set(Block.CACHE_CONTROL, image.cacheControl());
    }
    return block;
  }

  /** The input as it was sent (it arrived as an object, or as JSON text that is one). */
  private static JsonNode inputOf(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return Json.MAPPER.getNodeFactory().textNode(json);
    }
  }

  /** Anthropic wants the input as an object; a model's malformed arguments must not fail the next turn. */
  private static JsonNode objectOr(String json) {
    try {
      JsonNode parsed = Json.MAPPER.readTree(json);
      return parsed != null && parsed.isObject() ? parsed : Json.MAPPER.createObjectNode();
    } catch (JsonProcessingException e) {
      return Json.MAPPER.createObjectNode();
    }
  }

  private static JsonNode tool(Tool t, boolean same) {
    if (!t.isFunction()) {
      return t.raw();
    }
    ObjectNode out = Json.MAPPER.createObjectNode().put("name", t.name());
    if (t.description() != null) {
      out.put("description", t.description());
    }
    out.set("input_schema", t.schema() != null && (same || t.schema().isObject()) ? t.schema() : EMPTY_SCHEMA);
    for (Map.Entry<String, JsonNode> f : t.extra().entrySet()) {
      // strict is OpenAI's structured-output switch; Anthropic rejects it on a plain tool
      if (same || !f.getKey().equals("strict")) {
        out.set(f.getKey(), f.getValue());
      }
    }
    return out;
  }

  private static JsonNode toolChoice(ToolChoice choice, Boolean parallel, boolean same) {
    ObjectNode out;
    if (choice == null) {
      if (parallel == null || parallel) {
        return null;
      }
      out = Json.MAPPER.createObjectNode().put("type", "auto");
    } else {
      out = switch (choice.mode()) {
        case AUTO -> Json.MAPPER.createObjectNode().put("type", "auto");
        case ANY -> Json.MAPPER.createObjectNode().put("type", "any");
        case NONE -> Json.MAPPER.createObjectNode().put("type", "none");
        case TOOL -> Json.MAPPER.createObjectNode().put("type", "tool").put("name", choice.name());
        case OTHER -> same && choice.raw() instanceof ObjectNode raw ? raw.deepCopy() : null;
      };
      if (out == null) {
        return null;
      }
    }
    if (parallel != null && !parallel && !"none".equals(out.path("type").asText())) {
      out.put("disable_parallel_tool_use", true);
    }
    return out;
  }

  private static void writeParams(ObjectNode root, Envelope env, boolean same) {
    JsonNode metadata = null;
    for (Map.Entry<String, JsonNode> p : env.params().entrySet()) {
      String key = p.getKey();
      JsonNode value = p.getValue();
      if (!same && (value.isNull() || OPENAI_ONLY.contains(key))) {
        continue;
      }
      if (key.equals("metadata") && !same) {
        metadata = value;
      } else if (!root.has(key)) {
        root.set(key, value);
      }
    }
    JsonNode user = env.params().get("user");
    if (!same && user != null && user.isTextual() && !user.asText().isEmpty()) {
      ObjectNode merged = metadata instanceof ObjectNode o ? o.deepCopy() : Json.MAPPER.createObjectNode();
      if (!merged.has("user_id")) {
        merged.set("user_id", user);
      }
      metadata = merged;
    }
    if (metadata != null) {
      root.set("metadata", metadata);
    }
  }

  private static void copy(ObjectNode block, Map<String, JsonNode> fields) {
    fields.forEach(block::set);
  }
}
