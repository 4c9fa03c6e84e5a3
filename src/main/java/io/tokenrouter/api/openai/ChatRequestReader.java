package io.tokenrouter.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads an OpenAI {@code POST /v1/chat/completions} body into an {@link Envelope}. */
final class ChatRequestReader {
  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
  private static final Set<String> ENVELOPE_FIELDS = Set.of("model", "messages", "tools", "tool_choice", "stream",
      "parallel_tool_calls", "max_tokens", "max_completion_tokens", "stop");
  private static final IdentityMemo<JsonNode, Message> MESSAGES = new IdentityMemo<>();
  private static final IdentityMemo<JsonNode, Tool> TOOLS = new IdentityMemo<>();

  private ChatRequestReader() {}

  /** @param caller the credential the body came with, or null (see {@link JsonBody#parseObject}) */
  static Envelope read(byte[] body, String caller) {
    return read(JsonBody.parseObject(body, caller, "messages"), body);
  }

  static Envelope read(ObjectNode root, byte[] original) {
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
    JsonNode parallel = root.get("parallel_tool_calls");
    if (parallel != null && !parallel.isNull() && !parallel.isBoolean()) {
      throw new InvalidRequestException("'parallel_tool_calls' must be a boolean", "parallel_tool_calls");
    }

    TurnMemory memory = JsonBody.memoryOf(original);
    List<Message> parsed = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      int at = i;
      // where it is, for an error, written only when the message is read, not when it is remembered
      parsed.add(MESSAGES.read(memory, messages.get(i), m -> message(m, "messages[" + at + "]")));
    }
    Map<String, JsonNode> params = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (!ENVELOPE_FIELDS.contains(field.getKey())) {
        params.put(field.getKey(), field.getValue());
      }
    }
    return new Envelope(Dialect.OPENAI_CHAT, Operation.GENERATE, model.asText(), null, parsed,
        tools(root.get("tools"), memory), toolChoice(root.get("tool_choice")),
        parallel == null || parallel.isNull() ? null : parallel.asBoolean(),
        stream != null && stream.asBoolean(), maxOutput(root), stop(root.get("stop")), params, null, original);
  }

  private static OutputLimit maxOutput(ObjectNode root) {
    OutputLimit limit = null;
    for (String field : new String[] {"max_tokens", "max_completion_tokens"}) {
      JsonNode v = root.get(field);
      if (v == null || v.isNull()) {
        continue;
      }
      if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
        throw new InvalidRequestException("'" + field + "' must be a positive integer", field);
      }
      if (limit == null || field.equals("max_completion_tokens")) {
        limit = new OutputLimit(v.intValue(), field);
      }
    }
    return limit;
  }

  private static List<String> stop(JsonNode stop) {
    if (stop == null || stop.isNull()) {
      return List.of();
    }
    if (stop.isTextual()) {
      return List.of(stop.asText());
    }
    if (!stop.isArray()) {
      throw new InvalidRequestException("'stop' must be a string or an array of strings", "stop");
    }
    List<String> sequences = new ArrayList<>(stop.size());
    for (JsonNode s : stop) {
      if (!s.isTextual()) {
        throw new InvalidRequestException("'stop' must be a string or an array of strings", "stop");
      }
      sequences.add(s.asText());
    }
    return sequences;
  }

  private static Message message(JsonNode node, String at) {
    if (!(node instanceof ObjectNode m)) {
      throw new InvalidRequestException(at + " must be an object", at);
    }
    JsonNode roleNode = m.get("role");
    if (roleNode == null || !roleNode.isTextual() || !ROLES.contains(roleNode.asText())) {
      throw new InvalidRequestException(at + ".role must be one of " + ROLES, at + ".role");
    }
    String role = roleNode.asText();
    JsonNode contentNode = m.get("content");
    List<Block> content = new ArrayList<>();
    boolean plainText = false;
    if (contentNode != null && contentNode.isTextual()) {
      content.add(Block.Text.of(contentNode.asText()));
      plainText = true;
    } else if (contentNode != null && contentNode.isArray()) {
      parts((ArrayNode) contentNode, at + ".content", content);
    } else if (contentNode != null && !contentNode.isNull()) {
      throw new InvalidRequestException(at + ".content must be a string or an array of parts", at + ".content");
    } else if (!Message.ASSISTANT.equals(role)) {
      throw new InvalidRequestException(at + ".content is required for role '" + role + "'", at + ".content");
    }
    toolCalls(m.get("tool_calls"), at + ".tool_calls", content);
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : m.properties()) {
      switch (field.getKey()) {
        case "role", "content", "tool_calls", "tool_call_id" -> { }
        default -> extra.put(field.getKey(), field.getValue());
      }
    }
    if (Message.TOOL.equals(role)) {
      JsonNode toolCallId = m.get("tool_call_id");
      if (toolCallId == null || !toolCallId.isTextual()) {
        throw new InvalidRequestException(at + ".tool_call_id is required for role 'tool'", at + ".tool_call_id");
      }
      Block result = new Block.ToolResult(toolCallId.asText(), content, plainText, false, null);
      return new Message(role, List.of(result), plainText, extra);
    }
    return new Message(role, content, plainText, extra);
  }

  private static void parts(ArrayNode array, String at, List<Block> out) {
    for (int i = 0; i < array.size(); i++) {
      String pat = at + "[" + i + "]";
      if (!(array.get(i) instanceof ObjectNode p) || !p.path("type").isTextual()) {
        throw new InvalidRequestException(pat + " must be an object with a 'type'", pat);
      }
      String type = p.get("type").asText();
      switch (type) {
        case "text" -> {
          JsonNode text = p.get("text");
          if (text == null || !text.isTextual()) {
            throw new InvalidRequestException(pat + ".text must be a string", pat + ".text");
          }
          out.add(new Block.Text(text.asText(), fieldsExcept(p, "type", "text")));
        }
        case "image_url" -> {
          JsonNode ref = p.get("image_url");
          String url = ref == null ? null : ref.isTextual() ? ref.asText() : ref.path("url").asText(null);
          if (url == null) {
            throw new InvalidRequestException(pat + ".image_url.url must be a string", pat + ".image_url.url");
          }
          Map<String, JsonNode> extra = fieldsExcept(p, "type", "image_url");
          if (ref.isObject() && ref.has("detail")) {
            extra = new LinkedHashMap<>(extra);
            extra.put("detail", ref.get("detail"));
          }
          out.add(new Block.Image(url, extra));
        }
        default -> out.add(new Block.Opaque(Dialect.OPENAI_CHAT, type, p));
      }
    }
  }

  private static Map<String, JsonNode> fieldsExcept(ObjectNode node, String a, String b) {
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      if (!f.getKey().equals(a) && !f.getKey().equals(b)) {
        fields.put(f.getKey(), f.getValue());
      }
    }
    return fields;
  }

  private static void toolCalls(JsonNode node, String at, List<Block> out) {
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isArray()) {
      throw new InvalidRequestException(at + " must be an array", at);
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode call = node.get(i);
      JsonNode function = call.path("function");
      if (!function.path("name").isTextual()) {
        throw new InvalidRequestException(at + "[" + i + "].function.name must be a string",
            at + "[" + i + "].function.name");
      }
      JsonNode args = function.get("arguments");
      out.add(new Block.ToolUse(call.path("id").asText(""), function.get("name").asText(),
          args == null || args.isNull() ? "{}" : args.isTextual() ? args.asText() : args.toString(), null));
    }
  }

  private static List<Tool> tools(JsonNode node, TurnMemory memory) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new InvalidRequestException("'tools' must be an array", "tools");
    }
    List<Tool> tools = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      int at = i;
      tools.add(TOOLS.read(memory, node.get(i), t -> tool(t, "tools[" + at + "]")));
    }
    return tools;
  }

  private static Tool tool(JsonNode t, String at) {
    String type = t.path("type").asText("function");
    if (!Tool.FUNCTION.equals(type)) {
      return new Tool(type, t.path("name").asText(null), null, null, null, Dialect.OPENAI_CHAT, t);
    }
    JsonNode fn = t.get("function");
    if (fn == null || !fn.path("name").isTextual()) {
      throw new InvalidRequestException(at + ".function.name must be a string", at + ".function.name");
    }
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : fn.properties()) {
      switch (field.getKey()) {
        case "name", "description", "parameters" -> { }
        default -> extra.put(field.getKey(), field.getValue());
      }
    }
    JsonNode description = fn.get("description");
    return Tool.function(fn.get("name").asText(),
        description == null || description.isNull() ? null : description.asText(), fn.get("parameters"), extra);
  }

  private static ToolChoice toolChoice(JsonNode choice) {
    if (choice == null || choice.isNull()) {
      return null;
    }
    if (choice.isTextual()) {
      return switch (choice.asText()) {
        case "auto" -> ToolChoice.AUTO;
        case "required" -> ToolChoice.ANY;
        case "none" -> ToolChoice.NONE;
        default -> new ToolChoice(ToolChoice.Mode.OTHER, null, Dialect.OPENAI_CHAT, choice);
      };
    }
    if ("function".equals(choice.path("type").asText()) && choice.path("function").path("name").isTextual()) {
      return ToolChoice.tool(choice.get("function").get("name").asText());
    }
    return new ToolChoice(ToolChoice.Mode.OTHER, null, Dialect.OPENAI_CHAT, choice);
  }
}
