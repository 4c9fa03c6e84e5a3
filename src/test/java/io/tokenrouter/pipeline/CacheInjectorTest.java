package io.tokenrouter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.call.Call;
import io.tokenrouter.caller.Identity;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.provider.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CacheInjectorTest {
  private static final String LONG = "word ".repeat(1500).strip();
  private static final String TOOLS = """
      [{"name":"bash","description":"%s","input_schema":{"type":"object"}},{"name":"read","input_schema":{}}]"""
      .formatted(LONG);
  private final Harness harness = new Harness();

  private Call anthropic(String system, String messages) {
    String body = "{\"model\":\"m\",\"max_tokens\":100,\"tools\":" + TOOLS + (system == null ? "" : ",\"system\":" + system)
        + ",\"messages\":" + messages + "}";
    return harness.whole(Dialect.ANTHROPIC_MESSAGES, body.getBytes(StandardCharsets.UTF_8));
  }

  private JsonNode written(Call call, Target target) {
    try {
      return Json.MAPPER.readTree(harness.written(call, target));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Where the breakpoints are, in reading order: "tool 0", "system 1", "message 2.0"... with ":1h" for hour-long ones. */
  private static List<String> breakpoints(JsonNode body) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < body.path("tools").size(); i++) {
      add(out, body.get("tools").get(i), "tool " + i);
    }
    for (int i = 0; i < body.path("system").size(); i++) {
      add(out, body.get("system").get(i), "system " + i);
    }
    for (int i = 0; i < body.path("messages").size(); i++) {
      JsonNode content = body.get("messages").get(i).path("content");
      for (int j = 0; j < content.size(); j++) {
        add(out, content.get(j), "message " + i + "." + j);
      }
    }
    return out;
  }

  private static void add(List<String> out, JsonNode node, String where) {
    JsonNode marker = node.get("cache_control");
    if (marker != null) {
      out.add(where + (marker.has("ttl") ? ":" + marker.get("ttl").asText() : ""));
    }
  }

  @Test
  void aConversationsFirstRequestCachesSystemAndToolsButNotItsNewestTurn() {
    Call call = anthropic("\"" + LONG + "\"", "[{\"role\":\"user\",\"content\":\"" + LONG + "\"}]");

    assertThat(breakpoints(written(call, Harness.CLAUDE))).containsExactly("tool 1", "system 0");
    assertThat(call.responseHeaders().get(PipelineReport.HEADER)).contains("breakpoints=+2");
  }

  @Test
  void aConversationUnderWayAlsoCachesItsNewestTurnWhichTheNextRequestReadsBack() {
    Call call = anthropic("\"" + LONG + "\"", """
        [{"role":"user","content":"go"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"bash","input":{}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"done"}]}]""");

    assertThat(breakpoints(written(call, Harness.CLAUDE))).containsExactly("tool 1", "system 0", "message 2.0");
  }

  @Test
  void claudeCodesThreeBreakpointsLeaveRoomForOneTheToolsItsPerSessionSystemLineWouldHide() {
    Call call = anthropic("""
        [{"type":"text","text":"x-billing-header: session 42"},
         {"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}},
         {"type":"text","text":"%s","cache_control":{"type":"ephemeral"}}]""".formatted(LONG), """
        [{"role":"user","content":"go"},{"role":"assistant","content":"ok"},
         {"role":"user","content":[{"type":"text","text":"more","cache_control":{"type":"ephemeral"}}]}]""");

    assertThat(breakpoints(written(call, Harness.CLAUDE)))
        .containsExactly("tool 1", "system 1", "system 2", "message 2.0");
  }

  @Test
  void whenATurnAddsMoreBlocksThanTheLookbackReachesThePreviousEntryIsBridged() {
    StringBuilder calls = new StringBuilder();
    StringBuilder results = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      calls.append(i == 0 ? "" : ",").append("{\"type\":\"tool_use\",\"id\":\"t").append(i)
          .append("\",\"name\":\"bash\",\"input\":{}}");
      results.append(i == 0 ? "" : ",").append("{\"type\":\"tool_result\",\"tool_use_id\":\"t").append(i)
          .append("\",\"content\":\"r\"}");
    }
    Call call = anthropic("\"" + LONG + "\"", """
        [{"role":"user","content":"go"},{"role":"assistant","content":"ok"},{"role":"user","content":"now in parallel"},
         {"role":"assistant","content":[%s]},{"role":"user","content":[%s]}]""".formatted(calls, results));

    assertThat(breakpoints(written(call, Harness.CLAUDE)))
        .containsExactly("tool 1", "system 0", "message 2.0", "message 4.11");
  }

  @Test
  void aPrefixShorterThanTheModelsMinimumGetsNoBreakpoint() {
    Call call = anthropic("\"short\"", "[{\"role\":\"user\",\"content\":\"hi\"}]");

    assertThat(breakpoints(written(call, Harness.CLAUDE))).containsExactly("tool 1", "system 0");
    Target haiku = new Target("claude", null, "claude-haiku-4-5-20251001");
    assertThat(breakpoints(written(call, haiku))).isEmpty();
    assertThat(harness.attempt(call, haiku)).isSameAs(call.envelope());
  }

  @Test
  void breakpointsBeforeAClientsHourLongOneLiveAnHourToo() {
    Call call = anthropic("""
        [{"type":"text","text":"%s","cache_control":{"type":"ephemeral","ttl":"1h"}}]""".formatted(LONG), """
        [{"role":"user","content":"go"},{"role":"assistant","content":"ok"},{"role":"user","content":"%s"}]"""
        .formatted(LONG));

    assertThat(breakpoints(written(call, Harness.CLAUDE))).containsExactly("tool 1:1h", "system 0:1h", "message 2.0");
  }

  @Test
  void aTopLevelAutomaticBreakpointTakesASlot() {
    String body = """
        {"model":"m","max_tokens":100,"cache_control":{"type":"ephemeral"},"tools":%s,
         "system":[{"type":"text","text":"%s","cache_control":{"type":"ephemeral"}}],
         "messages":[{"role":"user","content":"go"},{"role":"assistant","content":"ok"},
          {"role":"user","content":[{"type":"text","text":"%s","cache_control":{"type":"ephemeral"}}]}]}"""
        .formatted(TOOLS.replace("\"input_schema\":{}", "\"input_schema\":{},\"cache_control\":{\"type\":\"ephemeral\"}"),
            LONG, LONG);
    Call call = harness.whole(Dialect.ANTHROPIC_MESSAGES, body.getBytes(StandardCharsets.UTF_8));

    assertThat(harness.attempt(call, Harness.CLAUDE)).isSameAs(call.envelope());
  }

  @Test
  void aTranslatedOpenAiRequestGetsItsBreakpointsOnBlocksTheAnthropicRequestKeeps() {
    String body = """
        {"model":"m","messages":[{"role":"system","content":"%s"},{"role":"user","content":"go"},
         {"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"bash","arguments":"{}"}}]},
         {"role":"tool","tool_call_id":"c1","content":"%s"}],
         "tools":[{"type":"function","function":{"name":"bash","parameters":{"type":"object"}}}]}""".formatted(LONG, LONG);
    Call call = harness.whole(Dialect.OPENAI_CHAT, body.getBytes(StandardCharsets.UTF_8));

    JsonNode written = written(call, Harness.CLAUDE);

    assertThat(breakpoints(written)).containsExactly("system 0", "message 2.0");
    assertThat(written.at("/messages/2/content/0/type").asText()).isEqualTo("tool_result");
  }

  private static byte[] chat(String system, String... turns) {
    StringBuilder messages = new StringBuilder("{\"role\":\"system\",\"content\":\"" + system + "\"}");
    for (int i = 0; i < turns.length; i++) {
      messages.append(",{\"role\":\"").append(i % 2 == 0 ? "user" : "assistant").append("\",\"content\":\"")
          .append(turns[i]).append("\"}");
    }
    return ("{\"model\":\"m\",\"messages\":[" + messages + "]}").getBytes(StandardCharsets.UTF_8);
  }

  private String cacheKey(Harness h, Call call) {
    return h.attempt(call, Harness.GPT).params().get("prompt_cache_key").asText();
  }

  @Test
  void anOpenAiProviderIsGivenACacheKeyPerCallerAndAgentSoEveryConversationReachesTheWarmMachine() {
    String key = cacheKey(harness, harness.whole(Dialect.OPENAI_CHAT, chat("S", "q")));

    assertThat(key).startsWith("tr-").hasSize(32);
    assertThat(cacheKey(harness, harness.whole(Dialect.OPENAI_CHAT, chat("S", "q", "a", "q2")))).isEqualTo(key);
    assertThat(cacheKey(harness, harness.whole(Dialect.OPENAI_CHAT, chat("S", "another task")))).isEqualTo(key);
    assertThat(cacheKey(harness, harness.whole(Dialect.OPENAI_CHAT, chat("Another agent", "q")))).isNotEqualTo(key);
    Call otherCaller = harness.whole(Dialect.OPENAI_CHAT, chat("S", "q"));
    otherCaller.identity(new Identity(UUID.randomUUID(), "k2", "tr-2", null, null, null, null, null, null, null, null));
    assertThat(cacheKey(harness, otherCaller)).isNotEqualTo(key);
  }

  @Test
  void aBusyAgentsConversationsAreSpreadOverKeysEachKeepingItsOwn() {
    Harness spread = new Harness("{ cache_key_providers: [ gpt ], cache_key_spread: 4 }");
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (int i = 0; i < 40; i++) {
      String first = cacheKey(spread, spread.whole(Dialect.OPENAI_CHAT, chat("S", "task " + i)));
      assertThat(cacheKey(spread, spread.whole(Dialect.OPENAI_CHAT, chat("S", "task " + i, "a", "more"))))
          .isEqualTo(first);
      keys.add(first);
    }

    assertThat(keys).hasSize(4);
  }

  @Test
  void theCacheKeyIsNotedAndOnlyOpenAiGetsOne() {
    Call call = harness.whole(Dialect.OPENAI_CHAT, chat("S", "q"));

    harness.attempt(call, Harness.GPT);

    assertThat(call.responseHeaders().get(PipelineReport.HEADER)).contains("cache_key=added");
    assertThat(harness.attempt(call, Harness.DEEPSEEK)).isSameAs(call.envelope());
    assertThat(call.responseHeaders().get(PipelineReport.HEADER)).doesNotContain("cache_key");
  }

  @Test
  void aClientsOwnCacheKeyIsKept() {
    String body = "{\"model\":\"m\",\"prompt_cache_key\":\"mine\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}";
    Call call = harness.whole(Dialect.OPENAI_CHAT, body.getBytes(StandardCharsets.UTF_8));

    assertThat(harness.attempt(call, Harness.GPT)).isSameAs(call.envelope());
  }
}
