import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import io.tokenrouter.Gateway;
import io.tokenrouter.auth.ApiKeys;
import io.tokenrouter.config.ConfigLoader;
import io.tokenrouter.config.DatabaseConfig;
import io.tokenrouter.config.GatewayConfig;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.store.ApiKeyRepository;
import io.tokenrouter.store.StoredKey;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prompt-cache benchmark of the prompt pipeline (issue 11). A multi-turn agent workload (several
 * agents, each with its own system prompt and tools; several sessions each; tool calls, tool
 * results, user turns) is sent through a real in-process gateway, once with the pipeline off
 * (pass-through) and once on, to local upstreams that simulate the providers' prompt caches as
 * documented:
 *
 * <ul>
 *   <li>OpenAI (automatic): prompts of 1,024 tokens or more, hits in 128-token steps, requests
 *       routed to one of several cache machines by a hash of the first 256 tokens and the
 *       {@code prompt_cache_key}; past 15 requests a minute for one prefix and key they spill to
 *       other machines; entries live 5 minutes after their last use.
 *   <li>Anthropic (explicit): entries written only at {@code cache_control} breakpoints (at most 4,
 *       else 400; a 1h one after a 5m one is a 400), looked up at each breakpoint and up to 20
 *       blocks before it, the model's minimum (1,024 tokens), 5-minute entries refreshed when read,
 *       writes billed at 1.25x and reads at 0.1x.
 * </ul>
 *
 * Clients are messy (each request shuffles its tools and JSON keys, splits its system prompt
 * differently and leaves stray whitespace) or clean (the same bytes every turn, no breakpoints of
 * their own), and on Anthropic also Claude Code-like (clean, with its own three breakpoints).
 * The ideal is what a single cache holding every earlier prompt (in its canonical form) would
 * serve, at the provider's granularity. Token counts are cl100k_base; time is simulated, so the
 * run takes a minute or two whatever the think times.
 *
 * <p>Run: {@code java -cp target/tokenrouter.jar bench/pipeline/CacheBench.java} (after
 * {@code mvn -q -DskipTests package}); writes bench/RESULTS-pipeline.md.
 */
public class CacheBench {
  static final Encoding CL100K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  static final long TTL_MS = Duration.ofMinutes(5).toMillis();
  static final AtomicLong NOW = new AtomicLong();

  public static void main(String[] args) throws Exception {
    System.setProperty("TOKENROUTER_LOG_LEVEL", "WARN");
    long seed = args.length > 0 ? Long.parseLong(args[0]) : 42;
    Workload workload = Workload.generate(new Random(seed), 4, 6, 14);
    Vertx vertx = Vertx.vertx();
    OpenAiSim openAi = new OpenAiSim(4);
    AnthropicSim anthropic = new AnthropicSim(1024);
    int openAiPort = listen(vertx, openAi::handle);
    int anthropicPort = listen(vertx, anthropic::handle);
    List<Row> rows = new ArrayList<>();
    long started = System.nanoTime();
    for (String provider : List.of("openai", "anthropic")) {
      List<String> kinds = provider.equals("openai") ? List.of("messy", "clean") : List.of("messy", "clean", "claude-code");
      for (String kind : kinds) {
        for (boolean pipeline : List.of(false, true)) {
          openAi.reset();
          anthropic.reset();
          rows.add(run(workload, provider, kind, pipeline, openAiPort, anthropicPort, openAi, anthropic, seed));
          System.out.println(rows.getLast().line());
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    vertx.close().await();
    String report = report(workload, rows, seed, seconds);
    Path out = Path.of("bench/RESULTS-pipeline.md");
    Files.writeString(out, report);
    System.out.println(report);
    System.exit(0);
  }

  static int listen(Vertx vertx, io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler) {
    HttpServer server = vertx.createHttpServer().requestHandler(handler);
    return server.listen(0, "127.0.0.1").await().actualPort();
  }

  // ---------------------------------------------------------------------------------------------
  // The workload: what each request means, in time order.

  record Tool(String name, String description, ObjectNode schema) {}

  record Agent(int id, List<String> system, List<Tool> tools) {}

  record Call(String id, String tool, ObjectNode args) {}

  /** One message of a conversation as it means: a user's text, an assistant's text and calls, or tool results. */
  record Msg(String role, String text, List<Call> calls, Map<String, String> results) {}

  /** One request: the session's conversation so far, sent at {@code time}. */
  record Request(long time, Agent agent, int session, List<Msg> messages) {}

  record Workload(List<Agent> agents, List<Request> requests, int sessions) {
    static Workload generate(Random r, int agents, int sessionsPerAgent, int maxTurns) {
      List<Agent> list = new ArrayList<>();
      for (int a = 0; a < agents; a++) {
        List<String> system = new ArrayList<>();
        system.add("You are agent " + a + ", a coding assistant. Follow the rules below.");
        for (int i = 0; i < 14; i++) {
          system.add(Text.paragraph(r, 60, 120));
        }
        List<Tool> tools = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of("bash", "read_file", "write_file", "edit_file", "grep", "glob",
            "web_fetch", "todo_write", "list_dir", "run_tests", "ask_user", "search_code"));
        Collections.shuffle(names, r);
        for (int i = 0; i < 8 + r.nextInt(5); i++) {
          tools.add(new Tool(names.get(i), Text.paragraph(r, 40, 160) + "\n\n" + Text.paragraph(r, 20, 60),
              Text.schema(r)));
        }
        list.add(new Agent(a, system, tools));
      }
      List<Request> requests = new ArrayList<>();
      int session = 0;
      for (Agent agent : list) {
        for (int s = 0; s < sessionsPerAgent; s++, session++) {
          long t = r.nextInt(15 * 60) * 1000L;
          List<Msg> conversation = new ArrayList<>();
          conversation.add(new Msg("user", Text.paragraph(r, 20, 80), List.of(), Map.of()));
          int turns = 6 + r.nextInt(maxTurns - 5);
          int callId = 0;
          for (int turn = 0; turn < turns; turn++) {
            requests.add(new Request(t, agent, session, List.copyOf(conversation)));
            t += 3_000 + r.nextInt(40_000);
            if (r.nextInt(10) < 7) {
              List<Call> calls = new ArrayList<>();
              Map<String, String> results = new java.util.LinkedHashMap<>();
              int n = r.nextInt(8) == 0 ? 3 + r.nextInt(10) : 1;
              for (int k = 0; k < n; k++) {
                Tool tool = agent.tools().get(r.nextInt(agent.tools().size()));
                String id = "toolu_" + session + "_" + callId++;
                calls.add(new Call(id, tool.name(), Text.arguments(r, tool.schema())));
                results.put(id, Text.output(r));
              }
              conversation.add(new Msg("assistant", r.nextBoolean() ? Text.paragraph(r, 10, 40) : null, calls, Map.of()));
              conversation.add(new Msg("tool", null, List.of(), results));
            } else {
              conversation.add(new Msg("assistant", Text.paragraph(r, 30, 150), List.of(), Map.of()));
              conversation.add(new Msg("user", Text.paragraph(r, 10, 60), List.of(), Map.of()));
            }
          }
        }
      }
      requests.sort((x, y) -> Long.compare(x.time(), y.time()));
      return new Workload(list, requests, session);
    }
  }

  static final class Text {
    static final String[] WORDS = ("the of and to in is for on that with as by this be are from at or an it "
        + "file function return value error test build module config path line code agent tool result should "
        + "must never always when before after user request answer check update create delete read write run "
        + "command output input string number list object array key field type schema project repository "
        + "branch commit change diff patch review plan step task context cache prefix token model").split(" ");

    static String paragraph(Random r, int min, int max) {
      int n = min + r.nextInt(max - min + 1);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < n; i++) {
        sb.append(i == 0 ? "" : i % 17 == 0 ? ". " : " ").append(WORDS[r.nextInt(WORDS.length)]);
      }
      return sb.append('.').toString();
    }

    /** A tool's output: a file listing or contents, code-like lines whose whitespace matters. */
    static String output(Random r) {
      StringBuilder sb = new StringBuilder();
      int lines = 10 + r.nextInt(r.nextInt(4) == 0 ? 200 : 60);
      for (int i = 0; i < lines; i++) {
        sb.append("    ".repeat(r.nextInt(3))).append(paragraph(r, 3, 12)).append('\n');
      }
      return sb.toString();
    }

    static ObjectNode schema(Random r) {
      ObjectNode schema = Json.MAPPER.createObjectNode().put("type", "object");
      ObjectNode properties = schema.putObject("properties");
      ArrayNode required = Json.MAPPER.createArrayNode();
      int n = 2 + r.nextInt(6);
      for (int i = 0; i < n; i++) {
        String name = WORDS[r.nextInt(WORDS.length)] + "_" + i;
        ObjectNode p = properties.putObject(name);
        switch (r.nextInt(3)) {
          case 0 -> p.put("type", "string").put("description", paragraph(r, 5, 25));
          case 1 -> p.put("type", "integer").put("description", paragraph(r, 3, 10)).put("minimum", 0);
          default -> {
            p.put("type", "array").put("description", paragraph(r, 3, 10));
            p.putObject("items").put("type", "string");
          }
        }
        if (r.nextBoolean()) {
          required.add(name);
        }
      }
      schema.set("required", required);
      schema.put("additionalProperties", false);
      return schema;
    }

    static ObjectNode arguments(Random r, ObjectNode schema) {
      ObjectNode args = Json.MAPPER.createObjectNode();
      schema.path("properties").properties().forEach(p -> {
        switch (p.getValue().path("type").asText()) {
          case "integer" -> args.put(p.getKey(), r.nextInt(500));
          case "array" -> args.putArray(p.getKey()).add(paragraph(r, 1, 3)).add(paragraph(r, 1, 3));
          default -> args.put(p.getKey(), paragraph(r, 2, 12));
        }
      });
      return args;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Clients: how a request is written down.

  /** Writes requests as one kind of client does. */
  record Client(String kind, Random r) {
    boolean messy() {
      return kind.equals("messy");
    }

    String openAi(Request q) {
      ObjectNode root = Json.MAPPER.createObjectNode().put("model", "bench");
      ArrayNode messages = root.putArray("messages");
      List<String> pieces = systemPieces(q.agent().system());
      if (pieces.size() > 1 && r.nextBoolean()) {
        ArrayNode parts = messages.addObject().put("role", "system").putArray("content");
        pieces.forEach(p -> parts.addObject().put("type", "text").put("text", p));
      } else {
        pieces.forEach(p -> messages.addObject().put("role", "system").put("content", p));
      }
      for (Msg m : q.messages()) {
        switch (m.role()) {
          case "user" -> messages.addObject().put("role", "user").put("content", m.text());
          case "assistant" -> {
            ObjectNode a = messages.addObject().put("role", "assistant").put("content", m.text());
            if (!m.calls().isEmpty()) {
              ArrayNode calls = a.putArray("tool_calls");
              for (Call c : m.calls()) {
                calls.addObject().put("id", c.id()).put("type", "function").putObject("function")
                    .put("name", c.tool()).put("arguments", keys(c.args()).toString());
              }
            }
          }
          default -> m.results().forEach((id, text) -> messages.addObject().put("role", "tool")
              .put("tool_call_id", id).put("content", text));
        }
      }
      ArrayNode tools = root.putArray("tools");
      for (Tool t : tools(q.agent())) {
        tools.addObject().put("type", "function").putObject("function").put("name", t.name())
            .put("description", noisy(t.description())).set("parameters", keys(t.schema()));
      }
      root.put("max_tokens", 1024);
      return root.toString();
    }

    String anthropic(Request q) {
      ObjectNode root = Json.MAPPER.createObjectNode().put("model", "bench").put("max_tokens", 1024);
      ArrayNode tools = root.putArray("tools");
      for (Tool t : tools(q.agent())) {
        tools.addObject().put("name", t.name()).put("description", noisy(t.description()))
            .set("input_schema", keys(t.schema()));
      }
      if (kind.equals("claude-code")) {
        ArrayNode system = root.putArray("system");
        system.addObject().put("type", "text").put("text", "x-anthropic-billing-header: cc_version=2.1.330; cch="
            + q.session() + ";");
        system.addObject().put("type", "text").put("text", q.agent().system().getFirst())
            .set("cache_control", Json.MAPPER.createObjectNode().put("type", "ephemeral"));
        system.addObject().put("type", "text").put("text", String.join("\n\n",
            q.agent().system().subList(1, q.agent().system().size())))
            .set("cache_control", Json.MAPPER.createObjectNode().put("type", "ephemeral"));
      } else {
        List<String> pieces = systemPieces(q.agent().system());
        if (pieces.size() == 1 && r.nextBoolean()) {
          root.put("system", pieces.getFirst());
        } else {
          ArrayNode system = root.putArray("system");
          pieces.forEach(p -> system.addObject().put("type", "text").put("text", p));
        }
      }
      ArrayNode messages = root.putArray("messages");
      for (Msg m : q.messages()) {
        switch (m.role()) {
          case "user" -> messages.addObject().put("role", "user").putArray("content").addObject()
              .put("type", "text").put("text", m.text());
          case "assistant" -> {
            ArrayNode content = messages.addObject().put("role", "assistant").putArray("content");
            if (m.text() != null) {
              content.addObject().put("type", "text").put("text", m.text());
            }
            for (Call c : m.calls()) {
              content.addObject().put("type", "tool_use").put("id", c.id()).put("name", c.tool())
                  .set("input", keys(c.args()));
            }
          }
          default -> {
            ArrayNode content = messages.addObject().put("role", "user").putArray("content");
            m.results().forEach((id, text) -> content.addObject().put("type", "tool_result").put("tool_use_id", id)
                .put("content", text));
          }
        }
      }
      if (kind.equals("claude-code")) {
        ArrayNode last = (ArrayNode) messages.get(messages.size() - 1).get("content");
        ((ObjectNode) last.get(last.size() - 1)).set("cache_control",
            Json.MAPPER.createObjectNode().put("type", "ephemeral"));
      }
      return root.toString();
    }

    /** A clean client keeps its own fixed order (as defined); a messy one shuffles every request. */
    private List<Tool> tools(Agent agent) {
      List<Tool> tools = new ArrayList<>(agent.tools());
      if (messy()) {
        Collections.shuffle(tools, r);
      }
      return tools;
    }

    private List<String> systemPieces(List<String> paragraphs) {
      if (!messy()) {
        return List.of(String.join("\n\n", paragraphs));
      }
      int pieces = 1 + r.nextInt(3);
      List<String> out = new ArrayList<>();
      int from = 0;
      for (int i = 0; i < pieces; i++) {
        int to = i == pieces - 1 ? paragraphs.size() : from + 1 + r.nextInt(paragraphs.size() - from - (pieces - i) + 1);
        String piece = String.join("\n\n", paragraphs.subList(from, to));
        out.add(noisy(r.nextBoolean() && i < pieces - 1 ? piece + "\n\n" : piece));
        from = to;
      }
      return out;
    }

    private String noisy(String text) {
      if (!messy()) {
        return text;
      }
      StringBuilder out = new StringBuilder();
      String[] lines = text.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        out.append(lines[i]).append(r.nextInt(4) == 0 ? "  " : "");
        if (i < lines.length - 1) {
          out.append(r.nextInt(5) == 0 ? "\r\n" : "\n");
        }
      }
      return out.append(r.nextBoolean() ? "\n" : "").toString();
    }

    private JsonNode keys(JsonNode node) {
      if (!messy()) {
        return node;
      }
      if (node.isObject()) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        Collections.shuffle(names, r);
        ObjectNode out = Json.MAPPER.createObjectNode();
        names.forEach(n -> out.set(n, keys(node.get(n))));
        return out;
      }
      return node;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // What a provider's model reads: the prompt as blocks of tokens, in reading order.

  /** A prompt: its blocks' token ids, tools first, then system, then messages. */
  record Prompt(List<int[]> blocks, List<Boolean> marked, List<String> ttls) {
    int tokens() {
      int n = 0;
      for (int[] b : blocks) {
        n += b.length;
      }
      return n;
    }
  }

  static final Map<String, int[]> ENCODED = new ConcurrentHashMap<>();

  static int[] tokens(String text) {
    return ENCODED.computeIfAbsent(text, t -> {
      IntArrayList ids = CL100K.encodeOrdinary(t);
      int[] out = new int[ids.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = ids.get(i);
      }
      return out;
    });
  }

  /** A block's token text: what the model reads of it (JSON in the order and spacing it came in). */
  static Prompt anthropicPrompt(JsonNode body) {
    Prompt p = new Prompt(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (JsonNode t : body.path("tools")) {
      add(p, "tool " + t.path("name").asText() + "\n" + t.path("description").asText() + "\n"
          + t.path("input_schema").toString(), t);
    }
    JsonNode system = body.path("system");
    if (system.isTextual()) {
      add(p, "system\n" + system.asText(), null);
    } else {
      for (JsonNode b : system) {
        add(p, "system\n" + b.path("text").asText(), b);
      }
    }
    for (JsonNode m : body.path("messages")) {
      String role = m.path("role").asText();
      JsonNode content = m.path("content");
      if (content.isTextual()) {
        add(p, role + "\n" + content.asText(), null);
        continue;
      }
      for (JsonNode b : content) {
        String text = switch (b.path("type").asText()) {
          case "tool_use" -> "call " + b.path("name").asText() + " " + b.path("input").toString();
          case "tool_result" -> "result " + b.path("tool_use_id").asText() + "\n" + b.path("content").asText();
          default -> b.path("text").asText();
        };
        add(p, role + "\n" + text, b);
      }
    }
    JsonNode auto = body.get("cache_control");
    if (auto != null && !p.marked().isEmpty()) {
      p.marked().set(p.marked().size() - 1, true);
    }
    return p;
  }

  private static void add(Prompt p, String text, JsonNode block) {
    p.blocks().add(tokens(text));
    JsonNode marker = block == null ? null : block.get("cache_control");
    p.marked().add(marker != null);
    p.ttls().add(marker == null ? null : marker.path("ttl").asText("5m"));
  }

  static Prompt openAiPrompt(JsonNode body) {
    Prompt p = new Prompt(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (JsonNode t : body.path("tools")) {
      JsonNode f = t.path("function");
      add(p, "tool " + f.path("name").asText() + "\n" + f.path("description").asText() + "\n"
          + f.path("parameters").toString(), null);
    }
    for (JsonNode m : body.path("messages")) {
      String role = m.path("role").asText();
      JsonNode content = m.path("content");
      StringBuilder text = new StringBuilder(role).append('\n');
      if (content.isTextual()) {
        text.append(content.asText());
      } else {
        for (JsonNode part : content) {
          text.append(part.path("text").asText());
        }
      }
      for (JsonNode c : m.path("tool_calls")) {
        text.append("\ncall ").append(c.path("function").path("name").asText()).append(' ')
            .append(c.path("function").path("arguments").asText());
      }
      if (m.has("tool_call_id")) {
        text.append("\nid ").append(m.get("tool_call_id").asText());
      }
      add(p, text.toString(), null);
    }
    return p;
  }

  /**
   * Exact prefix identities of a prompt: a 128-bit rolling hash of its token ids, taken at each
   * {@code every} tokens (OpenAI) or at each block end (Anthropic, {@code every} 0).
   */
  static List<long[]> prefixes(Prompt p, int every) {
    List<long[]> out = new ArrayList<>();
    long h1 = 1;
    long h2 = 7;
    int position = 0;
    for (int[] block : p.blocks()) {
      for (int id : block) {
        h1 = h1 * 1_000_003L + id + 1;
        h2 = h2 * 998_244_353L + (id ^ 0x5bd1e995L);
        position++;
        if (every > 0 && position % every == 0) {
          out.add(new long[] {h1, h2, position});
        }
      }
      h1 = h1 * 31 + 17;
      h2 = h2 * 37 + 19;
      if (every == 0) {
        out.add(new long[] {h1, h2, position});
      }
    }
    return out;
  }

  record Key(long a, long b) {}

  /** Entries by prefix identity, each alive until its expiry (simulated milliseconds). */
  static final class Entries {
    final Map<Key, Long> expiry = new HashMap<>();

    boolean alive(long[] prefix, long now) {
      Long until = expiry.get(new Key(prefix[0], prefix[1]));
      return until != null && until > now;
    }

    void keep(long[] prefix, long now) {
      expiry.put(new Key(prefix[0], prefix[1]), now + TTL_MS);
    }
  }

  /** What every earlier request's canonical prompt would let a perfect cache serve. */
  static final class Ideal {
    final Entries entries = new Entries();
    final int step;
    final int min;

    Ideal(int step, int min) {
      this.step = step;
      this.min = min;
    }

    int cached(Prompt canonical, long now) {
      int best = 0;
      List<long[]> prefixes = prefixes(canonical, step);
      for (long[] p : prefixes) {
        if (p[2] >= min && entries.alive(p, now)) {
          best = (int) p[2];
        }
      }
      prefixes.forEach(p -> entries.keep(p, now));
      return best;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The simulated providers.

  /** What the simulated provider counted for one request. */
  record Counted(int prompt, int read, int written, String error) {}

  static final class OpenAiSim {
    final int machines;
    final List<Entries> caches = new ArrayList<>();
    final Map<String, List<Long>> recent = new HashMap<>();
    volatile Counted last;

    OpenAiSim(int machines) {
      this.machines = machines;
      reset();
    }

    void reset() {
      caches.clear();
      for (int i = 0; i < machines; i++) {
        caches.add(new Entries());
      }
      recent.clear();
    }

    synchronized void handle(io.vertx.core.http.HttpServerRequest req) {
      req.body().onSuccess(buf -> {
        JsonNode body = read(buf.getBytes());
        Prompt prompt = openAiPrompt(body);
        long now = NOW.get();
        Entries cache = caches.get(machine(prompt, body.path("prompt_cache_key").asText(""), now));
        int cached = 0;
        List<long[]> prefixes = prefixes(prompt, 128);
        for (long[] p : prefixes) {
          if (p[2] >= 1024 && cache.alive(p, now)) {
            cached = (int) p[2];
          }
        }
        prefixes.forEach(p -> cache.keep(p, now));
        int tokens = prompt.tokens();
        last = new Counted(tokens, cached, 0, null);
        req.response().putHeader("content-type", "application/json").end("""
            {"id":"chatcmpl-bench","object":"chat.completion","created":1,"model":"bench","choices":[{"index":0,
             "message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":%d,"completion_tokens":1,"total_tokens":%d,
              "prompt_tokens_details":{"cached_tokens":%d}}}""".formatted(tokens, tokens + 1, cached));
      });
    }

    /** By the first 256 tokens and the key; past 15 a minute for one of those, the overflow goes elsewhere. */
    private int machine(Prompt prompt, String cacheKey, long now) {
      StringBuilder first = new StringBuilder(cacheKey).append('|');
      int n = 0;
      outer:
      for (int[] block : prompt.blocks()) {
        for (int id : block) {
          if (n++ == 256) {
            break outer;
          }
          first.append(id).append(',');
        }
      }
      String route = first.toString();
      List<Long> times = recent.computeIfAbsent(route, k -> new ArrayList<>());
      times.removeIf(t -> t <= now - 60_000);
      times.add(now);
      int spill = (times.size() - 1) / 15;
      return Math.floorMod((route + "#" + spill).hashCode(), machines);
    }
  }

  static final class AnthropicSim {
    final int minTokens;
    final Entries cache = new Entries();
    volatile Counted last;

    AnthropicSim(int minTokens) {
      this.minTokens = minTokens;
    }

    void reset() {
      cache.expiry.clear();
    }

    synchronized void handle(io.vertx.core.http.HttpServerRequest req) {
      req.body().onSuccess(buf -> {
        JsonNode body = read(buf.getBytes());
        Prompt prompt = anthropicPrompt(body);
        Counted counted = count(prompt, NOW.get());
        last = counted;
        if (counted.error() != null) {
          req.response().setStatusCode(400).putHeader("content-type", "application/json").end(
              "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"" + counted.error()
                  + "\"}}");
          return;
        }
        req.response().putHeader("content-type", "application/json").end("""
            {"id":"msg_bench","type":"message","role":"assistant","model":"bench","content":[{"type":"text","text":"ok"}],
             "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":%d,"cache_creation_input_tokens":%d,
             "cache_read_input_tokens":%d,"output_tokens":1}}""".formatted(
            counted.prompt() - counted.read() - counted.written(), counted.written(), counted.read()));
      });
    }

    Counted count(Prompt prompt, long now) {
      List<Integer> breakpoints = new ArrayList<>();
      boolean fiveMinutes = false;
      for (int i = 0; i < prompt.marked().size(); i++) {
        if (prompt.marked().get(i)) {
          breakpoints.add(i);
          if ("1h".equals(prompt.ttls().get(i)) && fiveMinutes) {
            return new Counted(prompt.tokens(), 0, 0, "a 1h cache_control block follows a 5m one");
          }
          fiveMinutes |= "5m".equals(prompt.ttls().get(i));
        }
      }
      if (breakpoints.size() > 4) {
        return new Counted(prompt.tokens(), 0, 0, "A maximum of 4 blocks with cache_control may be provided. Found "
            + breakpoints.size() + ".");
      }
      List<long[]> prefixes = prefixes(prompt, 0);
      int read = 0;
      int readAt = -1;
      for (int b : breakpoints) {
        for (int j = b; j >= Math.max(0, b - 20); j--) {
          if (cache.alive(prefixes.get(j), now)) {
            if ((int) prefixes.get(j)[2] > read) {
              read = (int) prefixes.get(j)[2];
              readAt = j;
            }
            break;
          }
        }
      }
      if (readAt >= 0) {
        cache.keep(prefixes.get(readAt), now);
      }
      int writtenTo = read;
      for (int b : breakpoints) {
        int upTo = (int) prefixes.get(b)[2];
        if (upTo >= minTokens && upTo > read) {
          cache.keep(prefixes.get(b), now);
          writtenTo = Math.max(writtenTo, upTo);
        } else if (upTo >= minTokens) {
          cache.keep(prefixes.get(b), now);
        }
      }
      return new Counted(prompt.tokens(), read, writtenTo - read, null);
    }
  }

  static JsonNode read(byte[] json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // One run: a workload through a gateway to one simulated provider.

  record Row(String provider, String client, boolean pipeline, int requests, long prompt, long read, long written,
      long ideal, int errors, double cost, double passThroughCost) {
    String line() {
      return String.format(Locale.ROOT, "%-9s %-11s %-8s requests %d, prompt %d, read %d, written %d, ideal %d,"
          + " errors %d, cost $%.4f", provider, client, pipeline ? "pipeline" : "pass", requests, prompt, read, written,
          ideal, errors, cost);
    }
  }

  static Row run(Workload workload, String provider, String kind, boolean pipeline, int openAiPort, int anthropicPort,
      OpenAiSim openAi, AnthropicSim anthropic, long seed) throws Exception {
    boolean isOpenAi = provider.equals("openai");
    String yaml = """
        server: { port: 0 }
        database: { url: "jdbc:h2:mem:bench-%s;DB_CLOSE_DELAY=-1" }
        usage: { spool_dir: "%s" }
        providers:
          - { name: sim, type: %s, base_url: "http://127.0.0.1:%d%s" }
        models:
          - { name: bench, targets: [ { provider: sim, model: %s } ] }
        pipeline: { enabled: %s, cache_key_providers: [ sim ] }
        """.formatted(UUID.randomUUID(), Files.createTempDirectory("bench-spool"), provider,
        isOpenAi ? openAiPort : anthropicPort, isOpenAi ? "/v1" : "", isOpenAi ? "gpt-4.1" : "claude-sonnet-4-5-20250929",
        pipeline);
    GatewayConfig config = new ConfigLoader(Map.of()).load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    try (Gateway gateway = Gateway.start(config)) {
      String key = ApiKeys.generate();
      new ApiKeyRepository(gateway.database().dataSource()).insert(new StoredKey(UUID.randomUUID(), "bench",
          ApiKeys.hash(key), ApiKeys.displayPrefix(key), List.of(), false, null, Instant.now(), null, null, null));
      HttpClient http = HttpClient.newHttpClient();
      Client client = new Client(kind, new Random(seed + kind.hashCode()));
      // the ideal is measured on what the request means: a messy client's request as a clean one
      // writes it, any other's as it is (Claude Code's per-session system line is part of what it says)
      Client canonical = new Client(kind.equals("messy") ? "clean" : kind, new Random(0));
      Ideal ideal = isOpenAi ? new Ideal(128, 1024) : new Ideal(0, 1024);
      long prompt = 0;
      long read = 0;
      long written = 0;
      long idealRead = 0;
      int errors = 0;
      for (Request q : workload.requests()) {
        NOW.set(q.time());
        String body = isOpenAi ? client.openAi(q) : client.anthropic(q);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
            + (isOpenAi ? "/v1/chat/completions" : "/v1/messages"))).timeout(Duration.ofSeconds(60))
            .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        request.header(isOpenAi ? "authorization" : "x-api-key", isOpenAi ? "Bearer " + key : key);
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Counted counted = isOpenAi ? openAi.last : anthropic.last;
        if (answer.statusCode() != 200) {
          errors++;
          continue;
        }
        prompt += counted.prompt();
        read += counted.read();
        written += counted.written();
        JsonNode clean = read((isOpenAi ? canonical.openAi(q) : canonical.anthropic(q)).getBytes(StandardCharsets.UTF_8));
        idealRead += ideal.cached(isOpenAi ? openAiPrompt(clean) : anthropicPrompt(clean), q.time());
      }
      double cost = isOpenAi ? ((prompt - read) * 2.0 + read * 0.5) / 1e6
          : ((prompt - read - written) * 3.0 + read * 0.3 + written * 3.75) / 1e6;
      double passThrough = (isOpenAi ? prompt * 2.0 : prompt * 3.0) / 1e6;
      return new Row(provider, kind, pipeline, workload.requests().size(), prompt, read, written, idealRead, errors,
          cost, passThrough);
    }
  }

  static String report(Workload workload, List<Row> rows, long seed, double seconds) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("# Prompt pipeline: prompt-cache benchmark\n\n");
    sb.append("Command: `mvn -q -DskipTests package && java -cp target/tokenrouter.jar bench/pipeline/CacheBench.java")
        .append(seed == 42 ? "" : " " + seed).append("`  \n");
    sb.append("Recorded: ").append(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).append(", ")
        .append(Runtime.getRuntime().availableProcessors()).append(" CPUs, load average ")
        .append(Files.readString(Path.of("/proc/loadavg")).strip()).append(", ")
        .append(String.format(Locale.ROOT, "%.0f s", seconds)).append(" for all runs (simulated time; results do not"
            + " depend on machine load).\n\n");
    long turns = workload.requests().size();
    sb.append("Workload (seed ").append(seed).append("): ").append(workload.agents().size()).append(" agents, ")
        .append(workload.sessions()).append(" sessions, ").append(turns).append(" requests over ")
        .append(workload.requests().getLast().time() / 60_000).append(" simulated minutes; each agent has its own")
        .append(" system prompt (about 2,000 tokens) and 8-12 tools; turns are tool calls (one in eight in parallel,")
        .append(" 3-12 at once) with their results, or user messages.\n\n");
    sb.append("| provider | client | gateway | prompt tokens | cached (read) | written | cached share | share of ideal")
        .append(" | input cost | vs pass-through |\n|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    Map<String, Row> passThrough = new HashMap<>();
    for (Row r : rows) {
      if (!r.pipeline()) {
        passThrough.put(r.provider() + r.client(), r);
      }
    }
    for (Row r : rows) {
      Row base = passThrough.get(r.provider() + r.client());
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %,d | %,d | %.1f%% | %.1f%% | $%.4f | %s |%n",
          r.provider(), r.client(), r.pipeline() ? "pipeline on" : "pass-through", r.prompt(), r.read(), r.written(),
          100.0 * r.read() / Math.max(1, r.prompt()), 100.0 * r.read() / Math.max(1, r.ideal()), r.cost(),
          r.pipeline() ? String.format(Locale.ROOT, "%+.1f%%", 100.0 * (r.cost() - base.cost()) / base.cost()) : "")
          + (r.errors() > 0 ? " (" + r.errors() + " requests refused)" : ""));
    }
    sb.append("""

        Ideal: for each request, the longest prefix of its canonical prompt that any earlier request's
        canonical prompt shared within the cache lifetime, at the provider's granularity (OpenAI: 1,024
        tokens or more, in 128-token steps; Anthropic: at a block boundary, 1,024 tokens or more). It
        ignores cache machines, breakpoints and the lookback, so no gateway can exceed it. Input cost at
        list prices: OpenAI gpt-4.1 ($2.00 input, $0.50 cached per million); Anthropic Claude Sonnet 4.5
        ($3.00 input, $0.30 cache read, $3.75 cache write per million). The simulated OpenAI has 4
        cache machines.
        """);
    return sb.toString();
  }
}
