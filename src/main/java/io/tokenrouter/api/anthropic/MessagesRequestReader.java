package io.tokenrouter.api.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.ClientText;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.IdentityMemo;
import io.tokenrouter.envelope.InvalidRequestException;
import io.tokenrouter.envelope.JsonBody;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Operation;
import io.tokenrouter.envelope.OutputLimit;
import io.tokenrouter.envelope.Tool;
import io.tokenrouter.envelope.ToolChoice;
import io.tokenrouter.envelope.TurnMemory;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an Anthropic Messages request ({@code POST /v1/messages}, or its {@code count_tokens})
 * into an {@link Envelope}. Every field and block the gateway does not interpret is kept as the
 * client sent it, so that an Anthropic provider gets the request unchanged.
 */
final class MessagesRequestReader {
  private static final Set<String> ENVELOPE_FIELDS = Set.of("model", "messages", "system", "tools", "tool_choice",
      "stream", "max_tokens", "stop_sequences");
  private static final Set<String> ROLES = Set.of("user", "assistant", "system");
  private static final String[] FORWARDED_HEADERS = {"anthropic-version", "anthropic-beta"};
  private static final IdentityMemo<JsonNode, Message> MESSAGES = new IdentityMemo<>();
  private static final IdentityMemo<JsonNode, Message> SYSTEMS = new IdentityMemo<>();
  private static final IdentityMemo<JsonNode, Tool> TOOLS = new IdentityMemo<>();

  private MessagesRequestReader() {}

  /** @param caller the credential the body came with, or null (see {@link JsonBody#parseObject}) */
  static Envelope read(byte[] body, MultiMap headers, Operation operation, String caller) {
    ObjectNode object = JsonBody.parseObject(body, caller, "messages");
    JsonNode model = object.get("model");
    if (model == null || !model.isTextual() || model.asText().isBlank()) {
      throw new InvalidRequestException("model: Field required (a non-empty string)", "model");
    }
    ClientText.modelName(model.asText(), "model");
    OutputLimit maxOutput = null;
    JsonNode maxTokens = object.get("max_tokens");
    if (maxTokens != null && !maxTokens.isNull()) {
      if (!maxTokens.isIntegralNumber() || !maxTokens.canConvertToInt() || maxTokens.intValue() < 1) {
        throw new InvalidRequestException("max_tokens: must be a positive integer", "max_tokens");
      }
      maxOutput = new OutputLimit(maxTokens.intValue(), "max_tokens");
    } else if (operation == Operation.GENERATE) {
      throw new InvalidRequestException("max_tokens: Field required", "max_tokens");
    }
    JsonNode messages = object.get("messages");
    if (messages == null || !messages.isArray()) {
      throw new InvalidRequestException("messages: Field required (an array of messages)", "messages");
    }
    TurnMemory memory = JsonBody.memoryOf(body);
    List<Message> parsed = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      int at = i;
      // where it is, for an error, written only when the message is read, not when it is remembered
      parsed.add(MESSAGES.read(memory, messages.get(i), m -> message(m, "messages." + at)));
    }
    JsonNode stream = object.get("stream");
    if (stream != null && !stream.isNull() && !stream.isBoolean()) {
      throw new InvalidRequestException("stream: must be a boolean", "stream");
    }
    Map<String, JsonNode> params = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      if (!ENVELOPE_FIELDS.contains(field.getKey())) {
        params.put(field.getKey(), field.getValue());
      }
    }
    JsonNode choice = object.get("tool_choice");
    Boolean parallel = choice != null && choice.has("disable_parallel_tool_use")
        ? !choice.get("disable_parallel_tool_use").asBoolean() : null;
    JsonNode systemNode = object.get("system");
    Message system = systemNode == null || systemNode.isNull() ? null
        : SYSTEMS.read(memory, systemNode, MessagesRequestReader::system);
    return new Envelope(Dialect.ANTHROPIC_MESSAGES, operation, model.asText(), system, parsed,
        tools(object.get("tools"), memory), toolChoice(choice), parallel, stream != null && stream.asBoolean(),
        maxOutput, stopSequences(object.get("stop_sequences")), params, forwarded(headers), body);
  }

  private static Map<String, String> forwarded(MultiMap headers) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : FORWARDED_HEADERS) {
      List<String> values = headers.getAll(name);
      if (!values.isEmpty()) {
        out.put(name, String.join(",", values));
      }
    }
    return out;
  }

  private static Message system(JsonNode system) {
    if (system == null || system.isNull()) {
      return null;
    }
    if (system.isTextual()) {
      return Message.text(Message.SYSTEM, system.asText());
    }
    if (!system.isArray()) {
      throw new InvalidRequestException("system: must be a string or an array of text blocks", "system");
    }
    return new Message(Message.SYSTEM, blocks(system, "system"), false, null);
  }

  private static Message message(JsonNode node, String at) {
    if (!(node instanceof ObjectNode m)) {
      throw new InvalidRequestException(at + ": must be an object", at);
    }
    JsonNode role = m.get("role");
    if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
      throw new InvalidRequestException(at + ".role: must be 'user' or 'assistant'", at + ".role");
    }
    JsonNode content = m.get("content");
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> f : m.properties()) {
      if (!f.getKey().equals("role") && !f.getKey().equals("content")) {
        extra.put(f.getKey(), f.getValue());
      }
    }
    if (content != null && content.isTextual()) {
      return new Message(role.asText(), List.of(Block.Text.of(content.asText())), true, extra);
    }
    if (content == null || !content.isArray()) {
      throw new InvalidRequestException(at + ".content: must be a string or an array of content blocks",
          at + ".content");
    }
    return new Message(role.asText(), blocks(content, at + ".content"), false, extra);
  }

  private static List<Block> blocks(JsonNode array, String at) {
    List<Block> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      out.add(block(array.get(i), at + "." + i));
    }
    return out;
  }

  private static Block block(JsonNode node, String at) {
    if (!(node instanceof ObjectNode b) || !b.path("type").isTextual()) {
      throw new InvalidRequestException(at + ": must be an object with a 'type'", at);
    }
    String type = b.get("type").asText();
    return switch (type) {
      case "text" -> {
        if (!b.path("text").isTextual()) {
          throw new InvalidRequestException(at + ".text: must be a string", at + ".text");
        }
        yield new Block.Text(b.get("text").asText(), except(b, "type", "text"));
      }
      case "image" -> {
        JsonNode source = b.path("source");
        String kind = source.path("type").asText();
        if (kind.equals("base64") && source.path("media_type").isTextual() && source.path("data").isTextual()) {
          yield new Block.Image("data:" + source.get("media_type").asText() + ";base64," + source.get("data").asText(),
              except(b, "type", "source"));
        }
        if (kind.equals("url") && source.path("url").isTextual()) {
          yield new Block.Image(source.get("url").asText(), except(b, "type", "source"));
        }
        yield new Block.Opaque(Dialect.ANTHROPIC_MESSAGES, type, b);
      }
      case "tool_use" -> {
        if (!b.path("id").isTextual() || !b.path("name").isTextual()) {
          throw new InvalidRequestException(at + ": tool_use needs an id and a name", at);
        }
        JsonNode input = b.get("input");
        yield new Block.ToolUse(b.get("id").asText(), b.get("name").asText(),
            input == null || input.isNull() ? "{}" : input.toString(), except(b, "type", "id", "name", "input"));
      }
      case "tool_result" -> {
        if (!b.path("tool_use_id").isTextual()) {
          throw new InvalidRequestException(at + ".tool_use_id: must be a string", at + ".tool_use_id");
        }
        JsonNode content = b.get("content");
        boolean plain = content == null || content.isTextual();
        List<Block> inner = content == null || content.isNull() ? List.of()
            : content.isTextual() ? List.of(Block.Text.of(content.asText())) : blocks(content, at + ".content");
        yield new Block.ToolResult(b.get("tool_use_id").asText(), inner, plain && content != null,
            // is_error also stays among the fields kept, so an explicit false is written back as sent
            b.path("is_error").asBoolean(false), except(b, "type", "tool_use_id", "content"));
      }
      case "thinking" -> new Block.Thinking(b.path("thinking").asText(""),
          b.path("signature").isTextual() ? b.get("signature").asText() : null, except(b, "type", "thinking",
          "signature"));
      case "redacted_thinking" -> new Block.RedactedThinking(b.path("data").asText(""), except(b, "type", "data"));
      default -> new Block.Opaque(Dialect.ANTHROPIC_MESSAGES, type, b);
    };
  }

  private static Map<String, JsonNode> except(ObjectNode node, String... names) {
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    outer:
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      for (String n : names) {
        if (n.equals(f.getKey())) {
          continue outer;
        }
      }
      fields.put(f.getKey(), f.getValue());
    }
    return fields;
  }

  private static List<Tool> tools(JsonNode node, TurnMemory memory) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new InvalidRequestException("tools: must be an array", "tools");
    }
    List<Tool> tools = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      int at = i;
      tools.add(TOOLS.read(memory, node.get(i), t -> tool(t, "tools." + at)));
    }
    return tools;
  }

  private static Tool tool(JsonNode t, String at) {
    if (!(t instanceof ObjectNode tool) || !tool.path("name").isTextual()) {
      throw new InvalidRequestException(at + ".name: Field required", at + ".name");
    }
    String type = tool.path("type").asText("custom");
    if (!type.equals("custom")) {
      return new Tool(type, tool.get("name").asText(), null, null, null, Dialect.ANTHROPIC_MESSAGES, tool);
    }
    JsonNode description = tool.get("description");
    return Tool.function(tool.get("name").asText(),
        description == null || description.isNull() ? null : description.asText(), tool.get("input_schema"),
        except(tool, "name", "description", "input_schema"));
  }

  private static ToolChoice toolChoice(JsonNode choice) {
    if (choice == null || choice.isNull()) {
      return null;
    }
    return switch (choice.path("type").asText()) {
      case "auto" -> ToolChoice.AUTO;
      case "any" -> ToolChoice.ANY;
      case "none" -> ToolChoice.NONE;
      case "tool" -> ToolChoice.tool(choice.path("name").asText());
      default -> new ToolChoice(ToolChoice.Mode.OTHER, null, Dialect.ANTHROPIC_MESSAGES, choice);
    };
  }

  private static List<String> stopSequences(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new InvalidRequestException("stop_sequences: must be an array of strings", "stop_sequences");
    }
    List<String> out = new ArrayList<>(node.size());
    for (JsonNode s : node) {
      if (!s.isTextual()) {
        throw new InvalidRequestException("stop_sequences: must be an array of strings", "stop_sequences");
      }
      out.add(s.asText());
    }
    return out;
  }
}
