package io.tokenrouter.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Part;
import io.tokenrouter.envelope.Tool;
import io.tokenrouter.envelope.ToolCall;
import io.vertx.core.buffer.Buffer;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes an {@link Envelope} as an Anthropic Messages request body.
 *
 * <p>Anthropic takes system instructions apart from the conversation, wants user and assistant
 * turns to alternate, answers tool calls inside a user turn, and rejects empty text blocks; the
 * OpenAI shape allows all of these, so the conversation is reshaped rather than copied.
 */
final class AnthropicRequestWriter {
  /** Anthropic requires max_tokens; OpenAI clients usually leave it out. */
  static final int DEFAULT_MAX_TOKENS = 4096;

  private static final JsonNode EMPTY_SCHEMA = Json.MAPPER.createObjectNode()
      .put("type", "object").set("properties", Json.MAPPER.createObjectNode());

  /** OpenAI parameters Anthropic has no use for; it answers 400 to fields it does not know. */
  private static final Set<String> DROPPED = Set.of("n", "presence_penalty", "frequency_penalty", "logprobs",
      "top_logprobs", "logit_bias", "response_format", "seed", "stream_options", "max_completion_tokens",
      "max_tokens", "service_tier", "store", "parallel_tool_calls", "prompt_cache_key", "prompt_cache_retention",
      "reasoning_effort", "verbosity", "modalities", "audio", "prediction", "web_search_options", "functions",
      "function_call");

  private AnthropicRequestWriter() {}

  private record Turn(String role, ArrayNode blocks) {}

  static Buffer write(Envelope env, String upstreamModel) {
    ArrayNode system = Json.MAPPER.createArrayNode();
    List<Turn> turns = new ArrayList<>(env.messages().size());
    for (Message m : env.messages()) {
      switch (m.role()) {
        case "system", "developer" -> addParts(system, m.content(), true);
        case "assistant" -> append(turns, "assistant", assistantBlocks(m));
        case "tool" -> append(turns, "user", toolResult(m));
        default -> {
          ArrayNode blocks = Json.MAPPER.createArrayNode();
          addParts(blocks, m.content(), false);
          append(turns, "user", blocks);
        }
      }
    }

    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("model", upstreamModel);
    Integer maxTokens = env.maxOutputTokens();
    root.put("max_tokens", maxTokens != null ? maxTokens : DEFAULT_MAX_TOKENS);
    if (!system.isEmpty()) {
      root.set("system", system);
    }
    ArrayNode messages = root.putArray("messages");
    for (Turn t : turns) {
      messages.addObject().put("role", t.role()).set("content", collapse(t.blocks()));
    }
    if (!env.tools().isEmpty()) {
      ArrayNode tools = root.putArray("tools");
      for (Tool t : env.tools()) {
        tools.add(tool(t));
      }
      JsonNode choice = toolChoice(env.toolChoice(), env.params().path("parallel_tool_calls").asBoolean(true));
      if (choice != null) {
        root.set("tool_choice", choice);
      }
    }
    if (env.stream()) {
      root.put("stream", true);
    }
    writeParams(root, env.params());
    try {
      return Buffer.buffer(Json.MAPPER.writeValueAsBytes(root));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void append(List<Turn> turns, String role, ArrayNode blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    Turn last = turns.isEmpty() ? null : turns.getLast();
    if (last != null && last.role().equals(role)) {
      last.blocks().addAll(blocks);
    } else {
      turns.add(new Turn(role, blocks));
    }
  }

  /** A lone bare text block goes as a string, the form most Anthropic examples (and caches) use. */
  private static JsonNode collapse(ArrayNode blocks) {
    if (blocks.size() == 1 && blocks.get(0).size() == 2 && "text".equals(blocks.get(0).path("type").asText())) {
      return blocks.get(0).get("text");
    }
    return blocks;
  }

  private static void addParts(ArrayNode out, List<Part> parts, boolean textOnly) {
    if (parts == null) {
      return;
    }
    for (Part p : parts) {
      if (p.isText()) {
        if (p.text() != null && !p.text().isEmpty()) {
          ObjectNode block = out.addObject().put("type", "text").put("text", p.text());
          copyFields(block, p.fields());
        }
      } else if (!textOnly) {
        out.add("image_url".equals(p.type()) ? image(p.fields()) : passThrough(p));
      }
    }
  }

  /** Parts OpenAI does not define (document, image with a source...) are assumed to be Anthropic's own. */
  private static ObjectNode passThrough(Part p) {
    ObjectNode block = Json.MAPPER.createObjectNode().put("type", p.type());
    copyFields(block, p.fields());
    return block;
  }

  private static ObjectNode image(ObjectNode fields) {
    JsonNode ref = fields == null ? null : fields.get("image_url");
    String url = ref == null ? "" : ref.isTextual() ? ref.asText() : ref.path("url").asText("");
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
    if (fields != null && fields.has("cache_control")) {
      block.set("cache_control", fields.get("cache_control"));
    }
    return block;
  }

  private static ArrayNode assistantBlocks(Message m) {
    ArrayNode blocks = Json.MAPPER.createArrayNode();
    addParts(blocks, m.content(), false);
    for (ToolCall call : m.toolCalls()) {
      blocks.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name())
          .set("input", arguments(call.arguments()));
    }
    return blocks;
  }

  /** Anthropic wants the input as an object; a model's malformed arguments must not fail the next turn. */
  private static JsonNode arguments(String json) {
    try {
      JsonNode parsed = Json.MAPPER.readTree(json);
      return parsed != null && parsed.isObject() ? parsed : Json.MAPPER.createObjectNode();
    } catch (JsonProcessingException e) {
      return Json.MAPPER.createObjectNode();
    }
  }

  private static ArrayNode toolResult(Message m) {
    ObjectNode result = Json.MAPPER.createObjectNode().put("type", "tool_result").put("tool_use_id", m.toolCallId());
    if (m.plainText()) {
      if (!m.text().isEmpty()) {
        result.put("content", m.text());
      }
    } else {
      ArrayNode content = Json.MAPPER.createArrayNode();
      addParts(content, m.content(), false);
      if (!content.isEmpty()) {
        result.set("content", content);
      }
    }
    return Json.MAPPER.createArrayNode().add(result);
  }

  private static JsonNode tool(Tool t) {
    if (!t.isFunction()) {
      return t.extra();
    }
    ObjectNode out = Json.MAPPER.createObjectNode().put("name", t.name());
    if (t.description() != null) {
      out.put("description", t.description());
    }
    out.set("input_schema", t.parameters() != null && t.parameters().isObject() ? t.parameters() : EMPTY_SCHEMA);
    if (t.extra() != null) {
      for (Map.Entry<String, JsonNode> f : t.extra().properties()) {
        // strict is OpenAI's structured-output switch; Anthropic rejects it on a plain tool
        if (!f.getKey().equals("strict")) {
          out.set(f.getKey(), f.getValue());
        }
      }
    }
    return out;
  }

  private static JsonNode toolChoice(JsonNode choice, boolean parallel) {
    ObjectNode out;
    if (choice == null) {
      if (parallel) {
        return null;
      }
      out = Json.MAPPER.createObjectNode().put("type", "auto");
    } else if (choice.isTextual()) {
      out = Json.MAPPER.createObjectNode().put("type", switch (choice.asText()) {
        case "required" -> "any";
        case "none" -> "none";
        default -> "auto";
      });
    } else if ("function".equals(choice.path("type").asText())) {
      out = Json.MAPPER.createObjectNode().put("type", "tool")
          .put("name", choice.path("function").path("name").asText());
    } else if (choice.isObject()) {
      out = ((ObjectNode) choice).deepCopy();
    } else {
      return null;
    }
    if (!parallel && !"none".equals(out.path("type").asText())) {
      out.put("disable_parallel_tool_use", true);
    }
    return out;
  }

  private static void writeParams(ObjectNode root, ObjectNode params) {
    JsonNode metadata = null;
    for (Map.Entry<String, JsonNode> p : params.properties()) {
      String key = p.getKey();
      JsonNode value = p.getValue();
      if (value.isNull() || DROPPED.contains(key) || key.equals("user")) {
        continue;
      }
      switch (key) {
        case "stop" -> {
          ArrayNode sequences = value.isArray() ? (ArrayNode) value : Json.MAPPER.createArrayNode().add(value);
          if (!sequences.isEmpty()) {
            root.set("stop_sequences", sequences);
          }
        }
        case "metadata" -> metadata = value;
        default -> {
          if (!root.has(key)) {
            root.set(key, value);
          }
        }
      }
    }
    JsonNode user = params.get("user");
    if (user instanceof TextNode && !user.asText().isEmpty()) {
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

  private static void copyFields(ObjectNode block, ObjectNode fields) {
    if (fields != null) {
      block.setAll(fields);
    }
  }
}
