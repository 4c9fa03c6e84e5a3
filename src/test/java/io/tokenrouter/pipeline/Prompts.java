package io.tokenrouter.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Generated requests for property tests: a {@link Conversation} is what a request means; a
 * {@link Mess} is how one client happens to write it down (tool order, JSON key order, how the
 * system prompt is split, stray whitespace). Two renderings of one conversation mean the same.
 * Everything is drawn from a seeded {@link Random}, so a failing case can be replayed.
 */
final class Prompts {
  private static final String[] WORDS = ("the a file read write test build agent tool result answer code line "
      + "function value error check list path run step plan user model cache prefix token search edit "
      + "project module return string number config option").split(" ");
  private static final String[] TOOL_NAMES = {"bash", "read_file", "write_file", "edit", "grep", "glob", "web_fetch",
      "todo_write", "search", "list_dir", "run_tests", "ask_user"};

  private Prompts() {}

  record ToolDef(String name, String description, ObjectNode schema) {}

  record ToolCall(String id, String name, ObjectNode args) {}

  record ToolAnswer(String id, String text) {}

  /** One turn: exactly one of text, calls (an assistant's) or answers (tool results) is the point of it. */
  record Turn(String role, String text, List<ToolCall> calls, List<ToolAnswer> answers) {
    static Turn user(String text) {
      return new Turn("user", text, List.of(), List.of());
    }

    static Turn assistant(String text, List<ToolCall> calls) {
      return new Turn("assistant", text, calls, List.of());
    }

    static Turn results(List<ToolAnswer> answers) {
      return new Turn("tool", null, List.of(), answers);
    }
  }

  /**
   * @param system the system prompt's paragraphs (none: no system prompt)
   * @param temperature null when the client sets none
   */
  record Conversation(String model, List<String> system, List<ToolDef> tools, List<Turn> turns, int maxTokens,
      Double temperature) {}

  /**
   * How a client writes a conversation down.
   *
   * @param systemPieces how many parts the system prompt is split into (at paragraph breaks)
   * @param keepBreaks whether each part keeps the blank line that ended it
   * @param blockSystem an Anthropic system written as a one-block array rather than a string
   * @param prettyArguments OpenAI tool-call arguments written with spaces
   */
  record Mess(boolean shuffleTools, boolean shuffleKeys, int systemPieces, boolean keepBreaks, boolean blockSystem,
      boolean noisyWhitespace, boolean prettyArguments, long seed) {
    static Mess clean() {
      return new Mess(false, false, 1, false, false, false, false, 0);
    }

    static Mess random(Random r) {
      return new Mess(r.nextBoolean(), r.nextBoolean(), 1 + r.nextInt(3), r.nextBoolean(), r.nextBoolean(),
          r.nextBoolean(), r.nextBoolean(), r.nextLong());
    }
  }

  /** A conversation of up to {@code exchanges} finished exchanges, paragraphs of up to {@code words} words. */
  static Conversation conversation(Random r, int exchanges, int words) {
    List<String> system = new ArrayList<>();
    int paragraphs = r.nextInt(5);
    for (int i = 0; i < paragraphs; i++) {
      system.add(paragraph(r, words));
    }
    List<String> names = new ArrayList<>(List.of(TOOL_NAMES));
    Collections.shuffle(names, r);
    List<ToolDef> tools = new ArrayList<>();
    int toolCount = r.nextInt(7);
    for (int i = 0; i < toolCount; i++) {
      tools.add(new ToolDef(names.get(i), paragraph(r, words) + (r.nextBoolean() ? "\n\n" + paragraph(r, words) : ""),
          schema(r, 2)));
    }
    List<Turn> turns = new ArrayList<>();
    turns.add(Turn.user(paragraph(r, words)));
    int callIds = 0;
    int n = r.nextInt(exchanges + 1);
    for (int i = 0; i < n; i++) {
      if (!tools.isEmpty() && r.nextInt(3) > 0) {
        List<ToolCall> calls = new ArrayList<>();
        int k = 1 + r.nextInt(3);
        for (int j = 0; j < k; j++) {
          ToolDef t = tools.get(r.nextInt(tools.size()));
          calls.add(new ToolCall("call_" + callIds++, t.name(), arguments(r, t.schema())));
        }
        turns.add(Turn.assistant(r.nextBoolean() ? paragraph(r, words) : null, calls));
        List<ToolAnswer> answers = new ArrayList<>();
        for (ToolCall c : calls) {
          answers.add(new ToolAnswer(c.id(), r.nextBoolean() ? paragraph(r, words) : "  indented output \n\n"));
        }
        turns.add(Turn.results(answers));
      } else {
        turns.add(Turn.assistant(paragraph(r, words), List.of()));
        turns.add(Turn.user(paragraph(r, words)));
      }
    }
    return new Conversation("model-" + r.nextInt(3), system, tools, turns, 256 + r.nextInt(4096),
        r.nextInt(3) == 0 ? 0.5 : null);
  }

  static String paragraph(Random r, int words) {
    StringBuilder sb = new StringBuilder();
    int n = 1 + r.nextInt(words);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(r.nextInt(12) == 0 ? "\n    " : " ");
      }
      sb.append(WORDS[r.nextInt(WORDS.length)]);
    }
    return sb.append('.').toString();
  }

  private static ObjectNode schema(Random r, int depth) {
    ObjectNode schema = Json.MAPPER.createObjectNode().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    ArrayNode required = Json.MAPPER.createArrayNode();
    int n = 1 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      String name = WORDS[r.nextInt(WORDS.length)] + "_" + i;
      ObjectNode p = properties.putObject(name);
      switch (depth > 0 ? r.nextInt(4) : r.nextInt(3)) {
        case 0 -> p.put("type", "string").put("description", "The " + WORDS[r.nextInt(WORDS.length)] + ".");
        case 1 -> p.put("type", "integer").put("minimum", 0).put("maximum", 1.5e3);
        case 2 -> {
          p.put("type", "array");
          p.putObject("items").put("type", "string");
          p.putArray("enum").add("b").add("a");
        }
        default -> p.setAll(schema(r, depth - 1));
      }
      if (r.nextBoolean()) {
        required.add(name);
      }
    }
    schema.set("required", required);
    schema.put("additionalProperties", false);
    return schema;
  }

  private static ObjectNode arguments(Random r, ObjectNode schema) {
    ObjectNode args = Json.MAPPER.createObjectNode();
    schema.path("properties").properties().forEach(p -> {
      switch (p.getValue().path("type").asText()) {
        case "string" -> args.put(p.getKey(), paragraph(r, 4));
        case "integer" -> args.put(p.getKey(), r.nextInt(100));
        case "array" -> args.putArray(p.getKey()).add("a").add("b");
        default -> args.set(p.getKey(), arguments(r, (ObjectNode) p.getValue()));
      }
    });
    return args;
  }

  static byte[] openAi(Conversation c, Mess m) {
    Random r = new Random(m.seed());
    ObjectNode root = Json.MAPPER.createObjectNode().put("model", c.model());
    ArrayNode messages = root.putArray("messages");
    if (!c.system().isEmpty()) {
      List<String> pieces = systemPieces(c, m, r);
      if (pieces.size() > 1 && r.nextBoolean()) {
        ArrayNode parts = messages.addObject().put("role", "system").putArray("content");
        pieces.forEach(p -> parts.addObject().put("type", "text").put("text", p));
      } else {
        pieces.forEach(p -> messages.addObject().put("role", "system").put("content", p));
      }
    }
    for (Turn t : c.turns()) {
      switch (t.role()) {
        case "user" -> messages.addObject().put("role", "user").put("content", t.text());
        case "assistant" -> {
          ObjectNode a = messages.addObject().put("role", "assistant").put("content", t.text());
          if (!t.calls().isEmpty()) {
            ArrayNode calls = a.putArray("tool_calls");
            for (ToolCall call : t.calls()) {
              JsonNode args = keys(call.args(), m, r);
              String text = m.prettyArguments() ? args.toPrettyString() : args.toString();
              calls.addObject().put("id", call.id()).put("type", "function").putObject("function")
                  .put("name", call.name()).put("arguments", text);
            }
          }
        }
        default -> t.answers().forEach(a -> messages.addObject().put("role", "tool").put("tool_call_id", a.id())
            .put("content", a.text()));
      }
    }
    if (!c.tools().isEmpty()) {
      ArrayNode tools = root.putArray("tools");
      for (ToolDef t : toolOrder(c, m, r)) {
        tools.addObject().put("type", "function").putObject("function").put("name", t.name())
            .put("description", noisy(t.description(), m, r)).set("parameters", keys(t.schema(), m, r));
      }
    }
    root.put("max_tokens", c.maxTokens());
    if (c.temperature() != null) {
      root.put("temperature", c.temperature());
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] anthropic(Conversation c, Mess m) {
    return anthropicTree(c, m).toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The Anthropic body as a tree, for tests that add a client's own breakpoints to it. */
  static ObjectNode anthropicTree(Conversation c, Mess m) {
    Random r = new Random(m.seed());
    ObjectNode root = Json.MAPPER.createObjectNode().put("model", c.model()).put("max_tokens", c.maxTokens());
    if (!c.system().isEmpty()) {
      List<String> pieces = systemPieces(c, m, r);
      if (pieces.size() == 1 && !m.blockSystem()) {
        root.put("system", pieces.getFirst());
      } else {
        ArrayNode system = root.putArray("system");
        pieces.forEach(p -> system.addObject().put("type", "text").put("text", p));
      }
    }
    ArrayNode messages = root.putArray("messages");
    for (Turn t : c.turns()) {
      switch (t.role()) {
        case "user" -> messages.addObject().put("role", "user").put("content", t.text());
        case "assistant" -> {
          ArrayNode content = messages.addObject().put("role", "assistant").putArray("content");
          if (t.text() != null) {
            content.addObject().put("type", "text").put("text", t.text());
          }
          for (ToolCall call : t.calls()) {
            content.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name())
                .set("input", keys(call.args(), m, r));
          }
        }
        default -> {
          ArrayNode content = messages.addObject().put("role", "user").putArray("content");
          t.answers().forEach(a -> content.addObject().put("type", "tool_result").put("tool_use_id", a.id())
              .put("content", a.text()));
        }
      }
    }
    if (!c.tools().isEmpty()) {
      ArrayNode tools = root.putArray("tools");
      for (ToolDef t : toolOrder(c, m, r)) {
        tools.addObject().put("name", t.name()).put("description", noisy(t.description(), m, r))
            .set("input_schema", keys(t.schema(), m, r));
      }
    }
    if (c.temperature() != null) {
      root.put("temperature", c.temperature());
    }
    return root;
  }

  private static List<ToolDef> toolOrder(Conversation c, Mess m, Random r) {
    List<ToolDef> tools = new ArrayList<>(c.tools());
    if (m.shuffleTools()) {
      Collections.shuffle(tools, r);
    } else {
      tools.sort((a, b) -> a.name().compareTo(b.name()));
    }
    return tools;
  }

  /** The system prompt cut at paragraph breaks into the mess's number of parts, each made noisy. */
  private static List<String> systemPieces(Conversation c, Mess m, Random r) {
    List<String> paragraphs = c.system();
    int pieces = Math.min(m.systemPieces(), paragraphs.size());
    List<String> out = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < pieces; i++) {
      int to = i == pieces - 1 ? paragraphs.size() : from + 1 + r.nextInt(paragraphs.size() - from - (pieces - i) + 1);
      String piece = String.join("\n\n", paragraphs.subList(from, to));
      if (m.keepBreaks() && i < pieces - 1) {
        piece += "\n\n";
      }
      out.add(noisy(piece, m, r));
      from = to;
    }
    return out;
  }

  /** Whitespace a template or an editor leaves behind: trailing blanks, CRLF, extra blank lines, blank ends. */
  private static String noisy(String text, Mess m, Random r) {
    if (!m.noisyWhitespace()) {
      return text;
    }
    StringBuilder out = new StringBuilder(r.nextBoolean() ? "\n" : "");
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      out.append(lines[i]);
      switch (r.nextInt(4)) {
        case 0 -> out.append("  ");
        case 1 -> out.append('\t');
        default -> { }
      }
      if (i < lines.length - 1) {
        out.append(r.nextBoolean() ? "\r\n" : "\n");
        if (lines[i].isEmpty() && r.nextBoolean()) {
          out.append('\n');
        }
      }
    }
    if (r.nextBoolean()) {
      out.append(" \n");
    }
    return out.toString();
  }

  /** The node with object keys shuffled at every depth, or (a tidy client) sorted. */
  private static JsonNode keys(JsonNode node, Mess m, Random r) {
    if (!m.shuffleKeys()) {
      return CanonicalJson.sorted(node);
    }
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      Collections.shuffle(names, r);
      ObjectNode out = Json.MAPPER.createObjectNode();
      names.forEach(n -> out.set(n, keys(node.get(n), m, r)));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = Json.MAPPER.createArrayNode();
      node.forEach(item -> out.add(keys(item, m, r)));
      return out;
    }
    return node;
  }
}
