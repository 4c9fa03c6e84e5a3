package io.tokenrouter.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns written back as Responses input items: the inverse of the Responses API's reading of them,
 * so that a conversation the gateway keeps can be read again as a later request's input. An
 * assistant turn becomes its items in order (reasoning, a message of its text, function calls);
 * a {@code tool} turn a {@code function_call_output}.
 */
public final class ResponsesItems {
  private ResponsesItems() {}

  public static ArrayNode of(List<Message> turns) {
    ArrayNode items = Json.MAPPER.createArrayNode();
    for (Message m : turns) {
      add(items, m);
    }
    return items;
  }

  private static void add(ArrayNode items, Message m) {
    boolean assistant = Message.ASSISTANT.equals(m.role());
    List<Block> parts = new ArrayList<>();
    for (Block b : m.content()) {
      switch (b) {
        case Block.ToolUse u -> {
          flush(items, m, parts, assistant);
          ObjectNode call = items.addObject().put("type", "function_call").put("call_id", u.id())
              .put("name", u.name()).put("arguments", u.input());
          copy(call, u.extra());
        }
        case Block.ToolResult r -> {
          flush(items, m, parts, assistant);
          ObjectNode output = items.addObject().put("type", "function_call_output").put("call_id", r.toolUseId());
          if (r.plainText() || r.content().stream().allMatch(c -> c instanceof Block.Text)) {
            StringBuilder text = new StringBuilder();
            r.content().forEach(c -> text.append(((Block.Text) c).text()));
            output.put("output", text.toString());
          } else {
            output.set("output", parts(r.content(), false));
          }
          copy(output, r.extra());
        }
        case Block.Opaque o when o.dialect() == Dialect.OPENAI_RESPONSES && isItem(o) -> {
          flush(items, m, parts, assistant);
          items.add(o.json());
        }
        case Block.Thinking t -> { }
        case Block.RedactedThinking t -> { }
        default -> parts.add(b);
      }
    }
    flush(items, m, parts, assistant);
  }

  /** Whether an opaque block is a whole item (reasoning, a reference) rather than a content part. */
  private static boolean isItem(Block.Opaque o) {
    return !o.type().startsWith("input_") && !o.type().startsWith("output_") && !o.type().equals("refusal");
  }

  private static void flush(ArrayNode items, Message m, List<Block> parts, boolean assistant) {
    if (parts.isEmpty()) {
      return;
    }
    ObjectNode message = items.addObject().put("type", "message").put("role", m.role());
    if (m.plainText() && parts.size() == 1 && parts.getFirst() instanceof Block.Text t && !assistant) {
      message.put("content", t.text());
    } else {
      message.set("content", parts(parts, assistant));
    }
    copy(message, m.extra());
    parts.clear();
  }

  private static ArrayNode parts(List<Block> blocks, boolean assistant) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (Block b : blocks) {
      switch (b) {
        case Block.Text t -> {
          ObjectNode part = out.addObject().put("type", assistant ? "output_text" : "input_text").put("text", t.text());
          if (assistant && !t.extra().containsKey("annotations")) {
            part.putArray("annotations");
          }
          copy(part, t.extra());
        }
        case Block.Image i -> copy(out.addObject().put("type", "input_image").put("image_url", i.url()), i.extra());
        case Block.Opaque o -> out.add(o.json());
        default -> { }
      }
    }
    return out;
  }

  /**
   * A tool in the Responses API's flat shape; a built-in tool of another API by its type alone. A
   * function tool that does not say whether it is strict is what its client's format makes it:
   * strict in the Responses API, whose default that is, not strict from chat completions or
   * Anthropic's Messages (written as true, OpenAI would refuse every schema that is not strict
   * mode's, optional properties and all).
   *
   * @param client the format the tool came in
   */
  public static JsonNode tool(Tool t, Dialect client) {
    if (!t.isFunction()) {
      return t.dialect() == Dialect.OPENAI_RESPONSES ? t.raw() : Json.MAPPER.createObjectNode().put("type", t.type());
    }
    ObjectNode out = Json.MAPPER.createObjectNode().put("type", "function").put("name", t.name());
    if (t.description() == null) {
      out.putNull("description");
    } else {
      out.put("description", t.description());
    }
    out.set("parameters", t.schema() == null ? Json.MAPPER.nullNode() : t.schema());
    JsonNode strict = t.extra().get("strict");
    out.set("strict", strict != null ? strict
        : Json.MAPPER.getNodeFactory().booleanNode(client == Dialect.OPENAI_RESPONSES));
    return out;
  }

  private static void copy(ObjectNode node, Map<String, JsonNode> fields) {
    for (Map.Entry<String, JsonNode> f : fields.entrySet()) {
      if (!node.has(f.getKey())) {
        node.set(f.getKey(), f.getValue());
      }
    }
  }
}
