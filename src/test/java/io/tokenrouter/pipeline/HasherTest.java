package io.tokenrouter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.call.Call;
import io.tokenrouter.envelope.Dialect;
import io.tokenrouter.envelope.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HasherTest {
  private final Harness harness = new Harness();
  private static final String TOOLS = "\"tools\":[{\"name\":\"bash\",\"input_schema\":{\"type\":\"object\"}}]";

  private PromptHashes hashes(String messages, String extra) {
    String body = "{\"model\":\"m\",\"max_tokens\":100,\"system\":\"You are X.\"," + TOOLS + ",\"messages\":" + messages
        + extra + "}";
    Call call = harness.whole(Dialect.ANTHROPIC_MESSAGES, body.getBytes(StandardCharsets.UTF_8));
    assertThat(call.get(Hasher.CONVERSATION_KEY)).isEqualTo(call.get(PromptPipeline.HASHES).conversation());
    return call.get(PromptPipeline.HASHES);
  }

  @Test
  void everyTurnOfAConversationHasItsConversationHashEvenWithAMovingClientBreakpoint() {
    PromptHashes first = hashes("""
        [{"role":"user","content":[{"type":"text","text":"fix the bug","cache_control":{"type":"ephemeral"}}]}]""", "");
    PromptHashes second = hashes("""
        [{"role":"user","content":[{"type":"text","text":"fix the bug"}]},{"role":"assistant","content":"ok"},
         {"role":"user","content":[{"type":"text","text":"thanks","cache_control":{"type":"ephemeral"}}]}]""", "");

    assertThat(second.conversation()).isEqualTo(first.conversation());
    assertThat(second.prefix()).isNotEqualTo(first.prefix());
    assertThat(second.full()).isNotEqualTo(first.full());
  }

  @Test
  void theFullHashTellsApartRequestsThatDifferOnlyInAParameter() {
    String messages = "[{\"role\":\"user\",\"content\":\"hi\"}]";

    PromptHashes plain = hashes(messages, "");
    PromptHashes hot = hashes(messages, ",\"temperature\":1");

    assertThat(hot.prefix()).isEqualTo(plain.prefix());
    assertThat(hot.full()).isNotEqualTo(plain.full());
  }

  @Test
  void aConversationsFirstRequestHashesItsStablePrefixAsToolsAndSystemOnly() {
    PromptHashes one = hashes("[{\"role\":\"user\",\"content\":\"one\"}]", "");
    PromptHashes two = hashes("[{\"role\":\"user\",\"content\":\"two\"}]", "");

    assertThat(one.prefix()).isEqualTo(two.prefix());
    assertThat(one.conversation()).isNotEqualTo(two.conversation());
    assertThat(one.shortPrefix()).hasSize(16);
  }

  @Test
  void anAgentsNextTurnHashesAsIfEveryPartWereFedAgain() {
    List<String> rounds = new ArrayList<>();
    rounds.add("{\"role\":\"user\",\"content\":\"" + "read the repository ".repeat(1_000) + "\"}");
    Envelope previous = null;
    for (int turn = 0; turn < 6; turn++) {
      rounds.add("{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t" + turn
          + "\",\"name\":\"bash\",\"input\":{\"z\":1,\"a\":\"ls " + turn + "\"}}]}");
      rounds.add("{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t" + turn
          + "\",\"content\":\"file" + turn + "\"}]}");
      // the fourth turn edits its first message: nothing before the edit is met again
      List<String> sent = new ArrayList<>(rounds);
      if (turn == 3) {
        sent.set(0, sent.get(0).replace("read", "scan"));
      }
      String body = "{\"model\":\"m\",\"max_tokens\":100,\"system\":\"You are X.\"," + TOOLS + ",\"messages\":["
          + String.join(",", sent) + "]}";
      Call call = harness.whole(Dialect.ANTHROPIC_MESSAGES, body.getBytes(StandardCharsets.UTF_8));
      Envelope env = call.envelope();
      assertThat(env.memory()).isNotNull();
      Envelope alone = new Envelope(env.dialect(), env.operation(), env.model(), env.system(), env.messages(),
          env.tools(), env.toolChoice(), env.parallelToolCalls(), env.stream(), env.maxOutput(), env.stopSequences(),
          env.params(), env.headers(), null);
      assertThat(alone.memory()).isNull();

      assertThat(call.get(PromptPipeline.HASHES)).as("turn %d", turn)
          .isEqualTo(Hasher.hash(alone, Chunker.chunk(alone, true)));
      if (previous != null && turn != 3 && turn != 4) {
        assertThat(env.messages().get(1)).as("the canonical tool call of turn %d", turn)
            .isSameAs(previous.messages().get(1));
      }
      previous = env;
    }
  }
}
