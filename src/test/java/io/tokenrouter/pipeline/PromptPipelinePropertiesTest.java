package io.tokenrouter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.call.Call;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.pipeline.Prompts.Conversation;
import io.tokenrouter.pipeline.Prompts.Mess;
import io.tokenrouter.provider.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Properties of the prompt pipeline over generated requests (seeded, so a failure names the case
 * that replays it): it never changes what a request means, it writes requests that differ only in
 * form as the same bytes, and no request leaves it with more than four cache breakpoints.
 */
class PromptPipelinePropertiesTest {
  private static final List<Target> TARGETS = List.of(Harness.CLAUDE, Harness.GPT, Harness.DEEPSEEK);
  private final Harness harness = new Harness();

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void theOutputMeansWhatTheInputMeantForEveryTarget() {
    for (int seed = 0; seed < 2000; seed++) {
      Random r = new Random(seed);
      Conversation c = Prompts.conversation(r, 6, 30);
      Mess mess = Prompts.Mess.random(r);
      Dialect dialect = r.nextBoolean() ? Dialect.OPENAI_CHAT : Dialect.ANTHROPIC_MESSAGES;
      Call call = harness.whole(dialect, body(c, mess, dialect));
      Envelope before = harness.whole(dialect, body(c, mess, dialect), List.of("arranger", "canonicalizer"))
          .envelope();

      assertThat(Meaning.of(call.envelope())).as("seed %d, whole-call stages", seed).isEqualTo(Meaning.of(before));
      for (Target target : TARGETS) {
        assertThat(Meaning.of(harness.attempt(call, target))).as("seed %d, attempt at %s", seed, target.provider())
            .isEqualTo(Meaning.of(before));
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void requestsThatDifferOnlyInFormGoOutAsTheSameBytes() {
    for (int seed = 0; seed < 1000; seed++) {
      Random r = new Random(seed);
      Conversation c = Prompts.conversation(r, 6, 30);
      Mess one = Prompts.Mess.random(r);
      Mess other = Prompts.Mess.random(r);
      for (Dialect dialect : Dialect.values()) {
        Call a = harness.whole(dialect, body(c, one, dialect));
        Call b = harness.whole(dialect, body(c, other, dialect));
        for (Target target : TARGETS) {
          assertThat(new String(harness.written(a, target), StandardCharsets.UTF_8))
              .as("seed %d, %s client, %s target", seed, dialect, target.provider())
              .isEqualTo(new String(harness.written(b, target), StandardCharsets.UTF_8));
        }
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aRequestWithoutMessIsPassedOnAsTheClientsOwnBytes() {
    for (int seed = 0; seed < 300; seed++) {
      Conversation c = Prompts.conversation(new Random(seed), 4, 20);
      for (Dialect dialect : List.of(Dialect.OPENAI_CHAT, Dialect.ANTHROPIC_MESSAGES)) {
        byte[] body = body(c, Mess.clean(), dialect);
        Call call = harness.whole(dialect, body);
        // the client's bytes can only go to a provider of its format that knows the model by the client's name
        Target sameFormat = new Target(dialect == Dialect.OPENAI_CHAT ? "deepseek" : "claude", null, c.model());
        if (call.envelope().original() != null && harness.attempt(call, sameFormat) == call.envelope()) {
          assertThat(harness.written(call, sameFormat)).as("seed %d", seed).isEqualTo(body);
        } else {
          assertThat(dialect).as("seed %d: only an Anthropic target adds breakpoints to a clean request", seed)
              .isEqualTo(Dialect.ANTHROPIC_MESSAGES);
        }
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void noRequestLeavesWithMoreThanFourBreakpointsWhateverTheClientSent() {
    for (int seed = 0; seed < 2000; seed++) {
      Random r = new Random(seed);
      Conversation c = Prompts.conversation(r, 12, 150);
      Dialect dialect = r.nextInt(4) == 0 ? Dialect.OPENAI_CHAT : Dialect.ANTHROPIC_MESSAGES;
      ObjectNode tree = dialect == Dialect.ANTHROPIC_MESSAGES
          ? Prompts.anthropicTree(c, Prompts.Mess.random(r))
          : (ObjectNode) readTree(Prompts.openAi(c, Prompts.Mess.random(r)));
      if (seed % 10 == 0 && dialect == Dialect.ANTHROPIC_MESSAGES) {
        claudeCodeShape(tree, r);
      } else {
        clientBreakpoints(tree, dialect, r, r.nextInt(6));
      }
      List<String> clientTtls = ttls(tree, dialect);
      Call call = harness.whole(dialect, tree.toString().getBytes(StandardCharsets.UTF_8));

      List<String> written = ttls(readTree(harness.written(call, Harness.CLAUDE)), Dialect.ANTHROPIC_MESSAGES);

      String at = "seed " + seed + ", client breakpoints " + clientTtls;
      if (clientTtls.size() >= 4) {
        assertThat(written).as(at).hasSameSizeAs(clientTtls);
      } else {
        assertThat(written).as(at).hasSizeLessThanOrEqualTo(4);
      }
      if (hourAfterFiveMinutes(clientTtls) < 0) {
        assertThat(hourAfterFiveMinutes(written)).as(at + ": a 1h entry after a 5m one").isNegative();
      }
    }
  }

  private static byte[] body(Conversation c, Mess mess, Dialect dialect) {
    return dialect == Dialect.OPENAI_CHAT ? Prompts.openAi(c, mess) : Prompts.anthropic(c, mess);
  }

  private static JsonNode readTree(byte[] json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Claude Code's own three: the system's second and third block (after a per-session billing
   * line without one), and the conversation's last block.
   */
  private static void claudeCodeShape(ObjectNode tree, Random r) {
    ArrayNode system = tree.putArray("system");
    system.addObject().put("type", "text").put("text", "x-billing-header: cc_version=2.1.330; session " + r.nextInt());
    system.addObject().put("type", "text").put("text", "You are Claude Code.").set("cache_control", ephemeral(null));
    system.addObject().put("type", "text").put("text", Prompts.paragraph(r, 400)).set("cache_control", ephemeral(null));
    ArrayNode messages = (ArrayNode) tree.get("messages");
    ArrayNode last = blocks((ObjectNode) messages.get(messages.size() - 1));
    ((ObjectNode) last.get(last.size() - 1)).set("cache_control", ephemeral(null));
  }

  /** {@code count} breakpoints on random blocks, hour-long ones (if any) first, as Anthropic requires. */
  private static void clientBreakpoints(ObjectNode tree, Dialect dialect, Random r, int count) {
    boolean anthropic = dialect == Dialect.ANTHROPIC_MESSAGES;
    List<ObjectNode> spots = new ArrayList<>();
    if (anthropic) {
      tree.path("tools").forEach(t -> spots.add((ObjectNode) t));
    }
    if (tree.path("system").isTextual()) {
      ArrayNode system = Json.MAPPER.createArrayNode();
      system.addObject().put("type", "text").put("text", tree.get("system").asText());
      tree.set("system", system);
    }
    tree.path("system").forEach(b -> spots.add((ObjectNode) b));
    for (JsonNode m : tree.path("messages")) {
      // OpenAI clients mark text parts only (an assistant's tool calls have none)
      if (anthropic || !m.has("tool_calls")) {
        blocks((ObjectNode) m).forEach(b -> spots.add((ObjectNode) b));
      }
    }
    List<ObjectNode> chosen = new ArrayList<>();
    for (int i = 0; i < count && !spots.isEmpty(); i++) {
      chosen.add(spots.remove(r.nextInt(spots.size())));
    }
    int hours = r.nextInt(3) == 0 ? r.nextInt(chosen.size() + 1) : 0;
    List<ObjectNode> ordered = new ArrayList<>();
    List<ObjectNode> all = new ArrayList<>();
    tree.path("tools").forEach(t -> all.add((ObjectNode) t));
    tree.path("system").forEach(b -> all.add((ObjectNode) b));
    tree.path("messages").forEach(m -> m.path("content").forEach(b -> all.add((ObjectNode) b)));
    for (ObjectNode spot : all) {
      if (chosen.stream().anyMatch(c -> c == spot)) {
        ordered.add(spot);
      }
    }
    for (int i = 0; i < ordered.size(); i++) {
      ordered.get(i).set("cache_control", ephemeral(i < hours ? "1h" : null));
    }
  }

  /** A message's content as an array of blocks (a string becomes one text block). */
  private static ArrayNode blocks(ObjectNode message) {
    JsonNode content = message.get("content");
    if (content == null || content.isNull() || content.isTextual()) {
      ArrayNode array = Json.MAPPER.createArrayNode();
      if (content != null && content.isTextual()) {
        array.addObject().put("type", "text").put("text", content.asText());
      }
      message.set("content", array);
      return array;
    }
    return (ArrayNode) content;
  }

  private static ObjectNode ephemeral(String ttl) {
    ObjectNode marker = Json.MAPPER.createObjectNode().put("type", "ephemeral");
    return ttl == null ? marker : marker.put("ttl", ttl);
  }

  /** The TTLs of every breakpoint in the order a provider reads them (tools, system, messages). */
  private static List<String> ttls(JsonNode body, Dialect dialect) {
    List<String> out = new ArrayList<>();
    if (dialect == Dialect.ANTHROPIC_MESSAGES) {
      body.path("tools").forEach(t -> collect(t, out));
      body.path("system").forEach(b -> collect(b, out));
    } else {
      body.path("tools").forEach(t -> collect(t, out));
    }
    body.path("messages").forEach(m -> collect(m, out));
    return out;
  }

  private static void collect(JsonNode node, List<String> out) {
    if (node.isObject()) {
      JsonNode marker = node.get("cache_control");
      if (marker != null) {
        out.add(marker.path("ttl").asText("5m"));
      }
      node.properties().forEach(f -> {
        if (!f.getKey().equals("cache_control")) {
          collect(f.getValue(), out);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, out));
    }
  }

  /** The position of a 1h breakpoint that follows a 5m one, or -1. */
  private static int hourAfterFiveMinutes(List<String> ttls) {
    boolean fiveMinutes = false;
    for (int i = 0; i < ttls.size(); i++) {
      if (ttls.get(i).equals("1h") && fiveMinutes) {
        return i;
      }
      fiveMinutes |= ttls.get(i).equals("5m");
    }
    return -1;
  }
}
