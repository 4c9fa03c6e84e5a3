package io.tokenrouter.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Fields;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a request means, with its form left out: the tool set by name with each schema as a JSON
 * value (object key order has no meaning), the instructions as words (their whitespace and how
 * they were split have none), and the conversation exactly, in order, tool-call arguments as JSON
 * values. Two requests mean the same when their meanings are equal.
 */
record Meaning(Map<String, List<Object>> tools, String instructions, List<List<Object>> conversation,
    Map<String, JsonNode> params, List<Object> rest) {

  static Meaning of(Envelope e) {
    Map<String, List<Object>> tools = new TreeMap<>();
    for (Tool t : e.tools()) {
      tools.put(t.name(), List.of(words(t.description()), t.schema() == null ? "no schema" : t.schema(),
          unmarked(t.extra())));
    }
    StringBuilder instructions = new StringBuilder();
    if (e.system() != null) {
      instructions.append(text(e.system())).append(' ');
    }
    int i = 0;
    while (i < e.messages().size() && e.messages().get(i).isInstruction()) {
      instructions.append(text(e.messages().get(i))).append(' ');
      i++;
    }
    List<List<Object>> conversation = new ArrayList<>();
    for (; i < e.messages().size(); i++) {
      Message m = e.messages().get(i);
      List<Object> turn = new ArrayList<>();
      turn.add(m.role());
      if (m.isInstruction()) {
        turn.add(words(text(m)));
      } else {
        for (Block b : m.content()) {
          turn.add(block(b));
        }
      }
      conversation.add(turn);
    }
    return new Meaning(tools, words(instructions.toString()), conversation,
        unmarked(Fields.without(e.params(), CacheInjector.PROMPT_CACHE_KEY)),
        List.of(e.model(), String.valueOf(e.maxOutputTokens()), e.stream(), e.stopSequences(),
            String.valueOf(e.toolChoice())));
  }

  private static Object block(Block b) {
    return switch (b) {
      case Block.ToolUse u -> List.of("tool_use", u.id(), u.name(), json(u.input()));
      case Block.ToolResult r -> List.of("tool_result", r.toolUseId(), r.content().stream().map(Meaning::block).toList(),
          r.isError());
      case Block.Text t -> List.of("text", t.text());
      default -> b;
    };
  }

  /** Cache breakpoints and cache keys say where to cache, not what is asked. */
  private static Map<String, JsonNode> unmarked(Map<String, JsonNode> fields) {
    return Fields.without(fields, Block.CACHE_CONTROL);
  }

  /** A message's text blocks as separate words (how they were split is form, not meaning). */
  private static String text(Message m) {
    StringBuilder sb = new StringBuilder();
    for (Block b : m.content()) {
      if (b instanceof Block.Text t) {
        sb.append(t.text()).append(' ');
      }
    }
    return sb.toString();
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      return Json.MAPPER.getNodeFactory().textNode(text);
    }
  }

  private static String words(String text) {
    return text == null ? "" : String.join(" ", text.strip().split("\\s+"));
  }
}
