package io.tokenrouter.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrouter.call.Call;
import io.tokenrouter.envelope.Dialect;
import java.nio.charset.StandardCharsets;
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
}
