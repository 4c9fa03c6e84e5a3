package io.tokenrouter.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Block;
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

/**
 * Reads an OpenAI Responses request ({@code POST /v1/responses}) into an {@link Envelope}.
 *
 * <p>{@code instructions} become the envelope's system message. Input items become turns: a
 * message item is a turn of its role; the items a model produced in one turn (reasoning, its
 * message, its {@code function_call}s) are one assistant turn, as chat completions and Messages
 * want them; each {@code function_call_output} is a {@code tool} turn. Items the gateway does not
 * model (reasoning, item references, built-in tool calls) are kept whole as
 * {@link Block.Opaque} blocks, for a provider that speaks this API. Every other top-level field
 * ({@code store}, {@code reasoning}, {@code include}, {@code previous_response_id}...) stays in
 * the params, as sent.
 *
 * <p>In an agent's next turn ({@link JsonBody#memoryOf}) the instructions, each tool, each item and
 * each assistant turn that the previous turn had are the same objects again, made once per
 * conversation: the stages and writers that remember what they made of them then do their work
 * once too.
 */
final class ResponsesRequestReader {
  static final String PREVIOUS_RESPONSE_ID = "previous_response_id";
  private static final Set<String> ENVELOPE_FIELDS = Set.of("model", "input", "instructions", "tools", "tool_choice",
      "parallel_tool_calls", "stream", "max_output_tokens");
  private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");
  private static final IdentityMemo<JsonNode, Message> INSTRUCTIONS = new IdentityMemo<>();
  private static final IdentityMemo<JsonNode, Message> ITEMS = new IdentityMemo<>();
  /** By the turn's first item. */
  private static final IdentityMemo<JsonNode, Joined> TURNS = new IdentityMemo<>();
  private static final IdentityMemo<JsonNode, Tool> TOOLS = new IdentityMemo<>();

  private ResponsesRequestReader() {}

  /** @param caller the credential the body came with, or null (see {@link JsonBody#parseObject}) */
  static Envelope read(byte[] body, String caller) {
    ObjectNode object = JsonBody.parseObject(body, caller, "input");
    JsonNode model = object.get("model");
    if (model == null || !model.isTextual() || model.asText().isBlank()) {
      throw new InvalidRequestException("Missing required parameter: 'model'.", "model");
    }
    JsonNode stream = object.get("stream");
    if (stream != null && !stream.isNull() && !stream.isBoolean()) {
      throw new InvalidRequestException("'stream' must be a boolean", "stream");
    }
    JsonNode parallel = object.get("parallel_tool_calls");
    if (parallel != null && !parallel.isNull() && !parallel.isBoolean()) {
      throw new InvalidRequestException("'parallel_tool_calls' must be a boolean", "parallel_tool_calls");
    }
    JsonNode instructions = object.get("instructions");
    if (instructions != null && !instructions.isNull() && !instructions.isTextual()) {
      throw new InvalidRequestException("'instructions' must be a string", "instructions");
    }
    JsonNode previous = object.get(PREVIOUS_RESPONSE_ID);
    if (previous != null && !previous.isNull() && !previous.isTextual()) {
      throw new InvalidRequestException("'previous_response_id' must be a string", PREVIOUS_RESPONSE_ID);
    }
    Map<String, JsonNode> params = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      if (!ENVELOPE_FIELDS.contains(field.getKey())) {
        params.put(field.getKey(), field.getValue());
      }
    }
    TurnMemory memory = JsonBody.memoryOf(body);
    Message system = instructions == null || instructions.isNull() ? null
        : INSTRUCTIONS.read(memory, instructions, i -> Message.text(Message.SYSTEM, i.asText()));
    return new Envelope(Dialect.OPENAI_RESPONSES, Operation.GENERATE, model.asText(), system,
        input(object.get("input"), memory), tools(object.get("tools"), memory), toolChoice(object.get("tool_choice")),
        parallel == null || parallel.isNull() ? null : parallel.asBoolean(), stream != null && stream.asBoolean(),
        maxOutput(object.get("max_output_tokens")), List.of(), params, null, body);
  }

  private static OutputLimit maxOutput(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
      throw new InvalidRequestException("'max_output_tokens' must be a positive integer", "max_output_tokens");
    }
    return new OutputLimit(v.intValue(), "max_output_tokens");
  }

  private static List<Message> input(JsonNode input, TurnMemory memory) {
    if (input == null || input.isNull()) {
      return List.of();
    }
    if (input.isTextual()) {
      return List.of(Message.text(Message.USER, input.asText()));
    }
    if (!input.isArray()) {
      throw new InvalidRequestException("'input' must be a string or an array of input items", "input");
    }
    return items(input, "input", memory);
  }

  /** A stored conversation's items as turns. */
  static List<Message> items(JsonNode array, String at) {
    return items(array, at, null);
  }

  /**
   * Input items as turns: each run of the items a model produced (reasoning, its message, its
   * calls) one assistant turn, each other item a turn of its own.
   */
  private static List<Message> items(JsonNode array, String at, TurnMemory memory) {
    List<Message> out = new ArrayList<>(array.size());
    int i = 0;
    while (i < array.size()) {
      JsonNode item = object(array, i, at);
      // an item or a turn met in an earlier turn is known by its identity, without reading its type
      Message known = ITEMS.get(memory, item);
      if (known != null) {
        out.add(known);
        i++;
        continue;
      }
      Joined joined = TURNS.get(memory, item);
      if (joined != null && joined.at(array, i) && !joinsAssistantTurn(array, i + joined.items().length, at)) {
        out.add(joined.turn());
        i += joined.items().length;
        continue;
      }
      if (!joinsAssistantTurn(item)) {
        int from = i;
        out.add(ITEMS.read(memory, item, it -> item((ObjectNode) it, at + "[" + from + "]")));
        i++;
        continue;
      }
      int end = i + 1;
      while (joinsAssistantTurn(array, end, at)) {
        end++;
      }
      out.add(assistantTurn(array, i, end, at, memory));
      i = end;
    }
    return out;
  }

  /** Whether there is an item at {@code i} and it joins an assistant turn. */
  private static boolean joinsAssistantTurn(JsonNode array, int i, String at) {
    return i < array.size() && joinsAssistantTurn(object(array, i, at));
  }

  private static JsonNode object(JsonNode array, int i, String at) {
    JsonNode item = array.get(i);
    if (!(item instanceof ObjectNode)) {
      throw new InvalidRequestException(at + "[" + i + "] must be an object", at + "[" + i + "]");
    }
    return item;
  }

  private static String typeOf(JsonNode item) {
    return item.path("type").asText(item.has("role") ? "message" : "");
  }

  private static boolean joinsAssistantTurn(JsonNode item) {
    return switch (typeOf(item)) {
      case "function_call", "reasoning" -> true;
      case "message" -> Message.ASSISTANT.equals(item.path("role").asText(null));
      default -> false;
    };
  }

  /** An item that is a turn of its own: a user's (or system's) message, a call's output, an item not modelled. */
  private static Message item(ObjectNode item, String at) {
    String type = typeOf(item);
    return switch (type) {
      case "message" -> message(item, at);
      case "function_call_output" -> {
        if (!item.path("call_id").isTextual()) {
          throw new InvalidRequestException(at + ".call_id must be a string", at + ".call_id");
        }
        JsonNode output = item.get("output");
        boolean plain = output == null || output.isTextual();
        List<Block> content = output == null || output.isNull() ? List.of()
            : output.isTextual() ? List.of(Block.Text.of(output.asText())) : parts(output, at + ".output");
        Block result = new Block.ToolResult(item.get("call_id").asText(), content, plain, false,
            except(item, "type", "call_id", "output"));
        yield new Message(Message.TOOL, List.of(result), plain, null);
      }
      default -> new Message(Message.USER, List.of(new Block.Opaque(Dialect.OPENAI_RESPONSES, type, item)), false,
          null);
    };
  }

  /**
   * Items {@code from} to {@code to} (a run that {@link #joinsAssistantTurn joins}) as one assistant
   * turn, remembered by its first item.
   */
  private static Message assistantTurn(JsonNode array, int from, int to, String at, TurnMemory memory) {
    JsonNode[] items = new JsonNode[to - from];
    for (int i = from; i < to; i++) {
      items[i - from] = array.get(i);
    }
    List<Block> blocks = new ArrayList<>();
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    for (int i = 0; i < items.length; i++) {
      ObjectNode item = (ObjectNode) items[i];
      String iat = at + "[" + (from + i) + "]";
      switch (typeOf(item)) {
        case "message" -> {
          Message m = message(item, iat);
          blocks.addAll(m.content());
          extra.putAll(m.extra());
        }
        case "function_call" -> {
          if (!item.path("call_id").isTextual() || !item.path("name").isTextual()) {
            throw new InvalidRequestException(iat + ": a function_call needs a call_id and a name", iat);
          }
          JsonNode args = item.get("arguments");
          blocks.add(new Block.ToolUse(item.get("call_id").asText(), item.get("name").asText(),
              args == null || args.isNull() ? "{}" : args.isTextual() ? args.asText() : args.toString(),
              except(item, "type", "call_id", "name", "arguments")));
        }
        default -> blocks.add(new Block.Opaque(Dialect.OPENAI_RESPONSES, "reasoning", item));
      }
    }
    boolean plain = blocks.size() == 1 && blocks.getFirst() instanceof Block.Text;
    Message turn = new Message(Message.ASSISTANT, blocks, plain, extra);
    TURNS.put(memory, items[0], new Joined(items, turn));
    return turn;
  }

  /** An assistant turn and the items it was made of. */
  private record Joined(JsonNode[] items, Message turn) {
    /** Whether {@code array} has these very items from {@code from} on. */
    boolean at(JsonNode array, int from) {
      if (from + items.length > array.size()) {
        return false;
      }
      for (int i = 0; i < items.length; i++) {
        if (array.get(from + i) != items[i]) {
          return false;
        }
      }
      return true;
    }
  }

  private static Message message(ObjectNode item, String at) {
    JsonNode role = item.get("role");
    if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
      throw new InvalidRequestException(at + ".role must be one of " + ROLES, at + ".role");
    }
    JsonNode content = item.get("content");
    Map<String, JsonNode> extra = except(item, "type", "role", "content");
    if (content != null && content.isTextual()) {
      return new Message(role.asText(), List.of(Block.Text.of(content.asText())), true, extra);
    }
    if (content == null || !content.isArray()) {
      throw new InvalidRequestException(at + ".content must be a string or an array of content parts",
          at + ".content");
    }
    return new Message(role.asText(), parts(content, at + ".content"), false, extra);
  }

  private static List<Block> parts(JsonNode array, String at) {
    if (!array.isArray()) {
      throw new InvalidRequestException(at + " must be a string or an array of content parts", at);
    }
    List<Block> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String pat = at + "[" + i + "]";
      if (!(array.get(i) instanceof ObjectNode p) || !p.path("type").isTextual()) {
        throw new InvalidRequestException(pat + " must be an object with a 'type'", pat);
      }
      String type = p.get("type").asText();
      switch (type) {
        case "input_text", "output_text" -> {
          if (!p.path("text").isTextual()) {
            throw new InvalidRequestException(pat + ".text must be a string", pat + ".text");
          }
          out.add(new Block.Text(p.get("text").asText(), except(p, "type", "text")));
        }
        case "input_image" -> {
          if (p.path("image_url").isTextual()) {
            out.add(new Block.Image(p.get("image_url").asText(), except(p, "type", "image_url")));
          } else {
            out.add(new Block.Opaque(Dialect.OPENAI_RESPONSES, type, p));
          }
        }
        default -> out.add(new Block.Opaque(Dialect.OPENAI_RESPONSES, type, p));
      }
    }
    return out;
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
      throw new InvalidRequestException("'tools' must be an array", "tools");
    }
    List<Tool> tools = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      int at = i;
      tools.add(TOOLS.read(memory, node.get(i), t -> tool(t, "tools[" + at + "]")));
    }
    return tools;
  }

  private static Tool tool(JsonNode node, String at) {
    if (!(node instanceof ObjectNode t)) {
      throw new InvalidRequestException(at + " must be an object", at);
    }
    String type = t.path("type").asText("function");
    if (!Tool.FUNCTION.equals(type)) {
      return new Tool(type, t.path("name").asText(null), null, null, null, Dialect.OPENAI_RESPONSES, t);
    }
    if (!t.path("name").isTextual()) {
      throw new InvalidRequestException(at + ".name must be a string", at + ".name");
    }
    JsonNode description = t.get("description");
    return Tool.function(t.get("name").asText(),
        description == null || description.isNull() ? null : description.asText(), t.get("parameters"),
        except(t, "type", "name", "description", "parameters"));
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
        default -> new ToolChoice(ToolChoice.Mode.OTHER, null, Dialect.OPENAI_RESPONSES, choice);
      };
    }
    if ("function".equals(choice.path("type").asText()) && choice.path("name").isTextual()) {
      return ToolChoice.tool(choice.get("name").asText());
    }
    return new ToolChoice(ToolChoice.Mode.OTHER, null, Dialect.OPENAI_RESPONSES, choice);
  }
}
