package io.tokenrouter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.envelope.Block;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.Message;
import io.tokenrouter.envelope.Tool;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrangerTest {
  private final Harness onlyArranger = new Harness("{ off: [ canonicalizer, cache_injector, dedup ] }");

  private Envelope anthropic(Harness harness, String body) {
    return harness.whole(Dialect.ANTHROPIC_MESSAGES, body.getBytes(StandardCharsets.UTF_8)).envelope();
  }

  private Envelope openAi(Harness harness, String body) {
    return harness.whole(Dialect.OPENAI_CHAT, body.getBytes(StandardCharsets.UTF_8)).envelope();
  }

  @Test
  void toolsAreSortedByName() {
    Envelope e = anthropic(onlyArranger, """
        {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],
         "tools":[{"name":"write","input_schema":{}},{"name":"bash","input_schema":{}},{"name":"read","input_schema":{}}]}""");

    assertThat(e.tools()).extracting(Tool::name).containsExactly("bash", "read", "write");
    assertThat(e.original()).isNull();
  }

  @Test
  void toolsWithTheClientsOwnBreakpointKeepTheirOrder() {
    Envelope e = anthropic(onlyArranger, """
        {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],
         "tools":[{"name":"write","input_schema":{}},{"name":"bash","input_schema":{},"cache_control":{"type":"ephemeral"}}]}""");

    assertThat(e.tools()).extracting(Tool::name).containsExactly("write", "bash");
  }

  @Test
  void anAnthropicSystemSplitIntoBlocksBecomesOneTextJoinedAtParagraphs() {
    Envelope e = anthropic(onlyArranger, """
        {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],
         "system":[{"type":"text","text":"You are an agent."},{"type":"text","text":"Rules:\\n\\n"},{"type":"text","text":"Be brief."}]}""");

    assertThat(e.system().plainText()).isTrue();
    assertThat(e.system().text()).isEqualTo("You are an agent.\n\nRules:\n\nBe brief.");
  }

  @Test
  void aSystemWithTheClientsBreakpointsIsLeftAsSplit() {
    Envelope e = anthropic(onlyArranger, """
        {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],
         "system":[{"type":"text","text":"a"},{"type":"text","text":"b","cache_control":{"type":"ephemeral"}}]}""");

    assertThat(e.system().content()).hasSize(2);
    assertThat(e.original()).isNotNull();
  }

  @Test
  void theSystemMessagesAConversationStartsWithAreMergedOthersStayWhereTheyAre() {
    Envelope e = openAi(onlyArranger, """
        {"model":"m","messages":[{"role":"system","content":"a"},
         {"role":"system","content":[{"type":"text","text":"b"},{"type":"text","text":"c"}]},
         {"role":"user","content":"hi"},{"role":"system","content":"late"},{"role":"user","content":"again"}]}""");

    assertThat(e.messages()).extracting(Message::role).containsExactly("system", "user", "system", "user");
    assertThat(e.messages().getFirst().text()).isEqualTo("a\n\nb\n\nc");
    assertThat(e.messages().get(2).text()).isEqualTo("late");
  }

  @Test
  void systemAndDeveloperInstructionsAreNotMergedIntoOneRole() {
    Envelope e = openAi(onlyArranger, """
        {"model":"m","messages":[{"role":"system","content":"a"},{"role":"developer","content":"b"},
         {"role":"user","content":"hi"}]}""");

    assertThat(e.messages()).extracting(Message::role).containsExactly("system", "developer", "user");
    assertThat(e.original()).isNotNull();
  }

  @Test
  void aRequestAlreadyInOrderIsTheSameEnvelope() {
    Harness harness = onlyArranger;
    byte[] body = """
        {"model":"m","max_tokens":5,"system":"s","messages":[{"role":"user","content":"hi"}],
         "tools":[{"name":"a","input_schema":{}},{"name":"b","input_schema":{}}]}""".getBytes(StandardCharsets.UTF_8);

    var call = harness.whole(Dialect.ANTHROPIC_MESSAGES, body);

    assertThat(call.envelope().original()).isEqualTo(body);
  }

  @Test
  void overItsHistoryBudgetAConversationLosesItsOldestExchangesAtAUserTurnThatAnswersNoToolCall() {
    Harness budgeted = new Harness("{ history_budget_tokens: 400, off: [ canonicalizer, cache_injector ] }");
    StringBuilder messages = new StringBuilder("[{\"role\":\"system\",\"content\":\"keep me\"}");
    String words = "word ".repeat(60);
    for (int i = 0; i < 10; i++) {
      messages.append(",{\"role\":\"user\",\"content\":\"q").append(i).append(' ').append(words).append("\"}");
      messages.append(",{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c").append(i)
          .append("\",\"type\":\"function\",\"function\":{\"name\":\"t\",\"arguments\":\"{}\"}}]}");
      messages.append(",{\"role\":\"tool\",\"tool_call_id\":\"c").append(i).append("\",\"content\":\"r\"}");
      messages.append(",{\"role\":\"assistant\",\"content\":\"a").append(i).append("\"}");
    }
    messages.append(",{\"role\":\"user\",\"content\":\"newest\"}]");

    Envelope e = openAi(budgeted, "{\"model\":\"m\",\"messages\":" + messages + "}");

    assertThat(e.messages().getFirst().text()).isEqualTo("keep me");
    assertThat(e.messages().get(1).role()).isEqualTo("user");
    assertThat(e.messages().get(1).content().getFirst()).isInstanceOf(Block.Text.class);
    assertThat(e.messages().getLast().text()).isEqualTo("newest");
    assertThat(e.messages().size()).isLessThan(42);
    assertThat(Harness.TOKENS.countPrompt(e, "m")).isLessThanOrEqualTo(400);
  }

  @Test
  void aConversationArrivingWhileTheTokenizerStillLoadsWaitsForItAndIsCutTheSame() {
    String pipeline = "{ history_budget_tokens: 300, off: [ canonicalizer, cache_injector ] }";
    String words = "word ".repeat(50);
    StringBuilder messages = new StringBuilder("[{\"role\":\"user\",\"content\":\"u0 " + words + "\"}");
    for (int i = 1; i < 8; i++) {
      messages.append(",{\"role\":\"assistant\",\"content\":\"a").append(i).append("\"}");
      messages.append(",{\"role\":\"user\",\"content\":\"u").append(i).append(' ').append(words).append("\"}");
    }
    String body = "{\"model\":\"m\",\"messages\":" + messages + "]}";
    TokenEstimator loading = new TokenEstimator();

    Envelope early = openAi(new Harness(pipeline, null, loading), body);

    assertThat(loading.loaded()).isTrue();
    assertThat(early.messages()).isEqualTo(openAi(new Harness(pipeline), body).messages());
    assertThat(early.messages().size()).isLessThan(15);
  }

  @Test
  void theCutStaysPutWhileTheConversationGrowsSoItsPrefixStaysCacheable() {
    Harness budgeted = new Harness("{ history_budget_tokens: 2000, off: [ canonicalizer, cache_injector ] }");
    String words = "word ".repeat(40);
    List<String> firstKept = new java.util.ArrayList<>();
    StringBuilder messages = new StringBuilder("[{\"role\":\"user\",\"content\":\"u0 " + words + "\"}");
    for (int i = 1; i < 60; i++) {
      messages.append(",{\"role\":\"assistant\",\"content\":\"a").append(i).append(' ').append(words).append("\"}");
      messages.append(",{\"role\":\"user\",\"content\":\"u").append(i).append(' ').append(words).append("\"}");
      Envelope e = openAi(budgeted, "{\"model\":\"m\",\"messages\":" + messages + "]}");
      firstKept.add(e.messages().getFirst().text().split(" ")[0]);
    }

    // the first kept message changes a handful of times, not on every turn
    assertThat(firstKept.stream().distinct().count()).isBetween(2L, 12L);
  }

  @Test
  void aConversationsNextTurnGetsThePreviousTurnsMergedInstructionsAsTheSameObject() {
    String start = "{\"model\":\"m\",\"messages\":[{\"role\":\"developer\",\"content\":[{\"type\":\"text\","
        + "\"text\":\"Follow the conventions.\"}]},{\"role\":\"user\",\"content\":\"" + "read it all ".repeat(2_000)
        + "\"}";
    Envelope turn = openAi(onlyArranger, start + "]}");
    Envelope next = openAi(onlyArranger, start + ",{\"role\":\"assistant\",\"content\":\"done\"}]}");

    assertThat(next.memory()).isNotNull();
    assertThat(next.messages().getFirst().plainText()).isTrue();
    assertThat(next.messages().getFirst()).isSameAs(turn.messages().getFirst());
  }

  @Test
  void aConversationsNextTurnGetsThePreviousTurnsMergedSystemAsTheSameObject() {
    String start = "{\"model\":\"m\",\"max_tokens\":5,\"system\":[{\"type\":\"text\",\"text\":\"You are X.\"},"
        + "{\"type\":\"text\",\"text\":\"Be brief.\"}],\"messages\":[{\"role\":\"user\",\"content\":\""
        + "read it all ".repeat(2_000) + "\"}";
    Envelope turn = anthropic(onlyArranger, start + "]}");
    Envelope next = anthropic(onlyArranger, start + ",{\"role\":\"assistant\",\"content\":\"done\"}]}");

    assertThat(next.system().plainText()).isTrue();
    assertThat(next.system()).isSameAs(turn.system());
  }
}
