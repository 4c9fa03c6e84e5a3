package io.tokenrouter.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.ClientText;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.InvalidRequestException;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.envelope.JsonBody;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Part;
import io.tokenrouter.envelope.Tool;
import io.tokenrouter.envelope.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads an OpenAI {@code POST /v1/chat/completions} body into an {@link Envelope}. */
public final class OpenAiChatReader {
  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
  private static final Set<String> ENVELOPE_FIELDS = Set.of("model", "messages", "tools", "tool_choice", "stream");

  private OpenAiChatReader() {}

  public static Envelope read(byte[] body) {
    return read(JsonBody.parseObject(body));
  }

  static Envelope read(ObjectNode root) {
    JsonNode model = root.get("model");
    if (model == null || model.isNull()) {
      throw new InvalidRequestException("you must provide a model parameter", "model");
    }
    if (!model.isTextual() || model.asText().isBlank()) {
      throw new InvalidRequestException("'model' must be a non-empty string", "model");
    }
    ClientText.modelName(model.asText(), "model");
    JsonNode messages = root.get("messages");
    if (messages == null || messages.isNull()) {
      throw new InvalidRequestException("Missing required parameter: 'messages'.", "messages");
    }
    if (!messages.isArray() || messages.isEmpty()) {
      throw new InvalidRequestException("'messages' must be a non-empty array", "messages");
    }
    JsonNode stream = root.get("stream");
    if (stream != null && !stream.isNull() && !stream.isBoolean()) {
      throw new InvalidRequestException("'stream' must be a boolean", "stream");
    }
    checkOptionalInt(root, "max_tokens");
    checkOptionalInt(root, "max_completion_tokens");

    List<Message> parsed = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      parsed.add(message(messages.get(i), "messages[" + i + "]"));
    }
    ObjectNode params = Json.MAPPER.createObjectNode();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (!ENVELOPE_FIELDS.contains(field.getKey())) {
        params.set(field.getKey(), field.getValue());
      }
    }
    JsonNode toolChoice = root.get("tool_choice");
    return new Envelope(model.asText(), parsed, tools(root.get("tools")),
        toolChoice == null || toolChoice.isNull() ? null : toolChoice,
        stream != null && stream.asBoolean(), params);
  }

  private static void checkOptionalInt(ObjectNode root, String field) {
    JsonNode v = root.get(field);
    if (v != null && !v.isNull() && (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1)) {
      throw new InvalidRequestException("'" + field + "' must be a positive integer", field);
    }
  }

  private static Message message(JsonNode node, String at) {
    if (!(node instanceof ObjectNode m)) {
      throw new InvalidRequestException(at + " must be an object", at);
    }
    JsonNode role = m.get("role");
    if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
      throw new InvalidRequestException(at + ".role must be one of " + ROLES, at + ".role");
    }
    JsonNode contentNode = m.get("content");
    List<Part> content = null;
    boolean plainText = false;
    if (contentNode != null && contentNode.isTextual()) {
      content = List.of(new Part(Part.TEXT, contentNode.asText(), null));
      plainText = true;
    } else if (contentNode != null && contentNode.isArray()) {
      content = parts((ArrayNode) contentNode, at + ".content");
    } else if (contentNode != null && !contentNode.isNull()) {
      throw new InvalidRequestException(at + ".content must be a string or an array of parts", at + ".content");
    } else if (!"assistant".equals(role.asText())) {
      throw new InvalidRequestException(at + ".content is required for role '" + role.asText() + "'", at + ".content");
    }
    List<ToolCall> toolCalls = toolCalls(m.get("tool_calls"), at + ".tool_calls");
    JsonNode toolCallId = m.get("tool_call_id");
    if ("tool".equals(role.asText()) && (toolCallId == null || !toolCallId.isTextual())) {
      throw new InvalidRequestException(at + ".tool_call_id is required for role 'tool'", at + ".tool_call_id");
    }
    ObjectNode extra = null;
    for (Map.Entry<String, JsonNode> field : m.properties()) {
      switch (field.getKey()) {
        case "role", "content", "tool_calls", "tool_call_id" -> { }
        default -> {
          if (extra == null) {
            extra = Json.MAPPER.createObjectNode();
          }
          extra.set(field.getKey(), field.getValue());
        }
      }
    }
    return new Message(role.asText(), content, plainText, toolCalls,
        toolCallId == null ? null : toolCallId.asText(), extra);
  }

  private static List<Part> parts(ArrayNode array, String at) {
    List<Part> parts = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String pat = at + "[" + i + "]";
      if (!(array.get(i) instanceof ObjectNode p) || !p.path("type").isTextual()) {
        throw new InvalidRequestException(pat + " must be an object with a 'type'", pat);
      }
      String type = p.get("type").asText();
      JsonNode text = p.get("text");
      if (Part.TEXT.equals(type) && (text == null || !text.isTextual())) {
        throw new InvalidRequestException(pat + ".text must be a string", pat + ".text");
      }
      ObjectNode fields = null;
      for (Map.Entry<String, JsonNode> field : p.properties()) {
        if (!field.getKey().equals("type") && !(Part.TEXT.equals(type) && field.getKey().equals("text"))) {
          if (fields == null) {
            fields = Json.MAPPER.createObjectNode();
          }
          fields.set(field.getKey(), field.getValue());
        }
      }
      parts.add(new Part(type, Part.TEXT.equals(type) ? text.asText() : null, fields));
    }
    return parts;
  }

  private static List<ToolCall> toolCalls(JsonNode node, String at) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new InvalidRequestException(at + " must be an array", at);
    }
    List<ToolCall> calls = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode call = node.get(i);
      JsonNode function = call.path("function");
      if (!function.path("name").isTextual()) {
        throw new InvalidRequestException(at + "[" + i + "].function.name must be a string", at + "[" + i + "].function.name");
      }
      JsonNode args = function.get("arguments");
      calls.add(new ToolCall(call.path("id").asText(""), function.get("name").asText(),
          args == null || args.isNull() ? "{}" : args.isTextual() ? args.asText() : args.toString()));
    }
    return calls;
  }

  private static List<Tool> tools(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new InvalidRequestException("'tools' must be an array", "tools");
    }
    List<Tool> tools = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode t = node.get(i);
      String type = t.path("type").asText("function");
      if (!Tool.FUNCTION.equals(type)) {
        tools.add(new Tool(type, t.path("name").asText(null), null, null, (ObjectNode) t));
        continue;
      }
      JsonNode fn = t.get("function");
      if (fn == null || !fn.path("name").isTextual()) {
        throw new InvalidRequestException("tools[" + i + "].function.name must be a string", "tools[" + i + "].function.name");
      }
      ObjectNode extra = null;
      for (Map.Entry<String, JsonNode> field : fn.properties()) {
        switch (field.getKey()) {
          case "name", "description", "parameters" -> { }
          default -> {
            if (extra == null) {
              extra = Json.MAPPER.createObjectNode();
            }
            extra.set(field.getKey(), field.getValue());
          }
        }
      }
      JsonNode description = fn.get("description");
      tools.add(new Tool(type, fn.get("name").asText(),
          description == null || description.isNull() ? null : description.asText(),
          fn.get("parameters"), extra));
    }
    return tools;
  }
}
