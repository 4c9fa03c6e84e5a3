package io.tokenrouter.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link ChatChunk}: the parts of a chunk the chat decoder uses, read without a tree of the rest. */
class ChatChunkTest {
  private static ChatChunk read(String json) throws IOException {
    return ChatChunk.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aContentChunkGivesItsTextIdAndModel() throws IOException {
    ChatChunk chunk = read("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt\","
        + "\"system_fingerprint\":\"fp\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\\\"lo\\n\"},"
        + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}");

    assertThat(chunk.id()).isEqualTo("c1");
    assertThat(chunk.model()).isEqualTo("gpt");
    assertThat(chunk.content()).isEqualTo("Hel\"lo\n");
    assertThat(chunk.reasoning()).isEmpty();
    assertThat(chunk.finishReason()).isNull();
    assertThat(chunk.usage().isNull()).isTrue();
    assertThat(chunk.hasError()).isFalse();
  }

  @Test
  void fieldsAreFoundInAnyOrderAndUnknownTreesAreSkipped() throws IOException {
    ChatChunk chunk = read("{\"choices\":[{\"finish_reason\":\"stop\",\"logprobs\":{\"content\":[{\"token\":\"x\","
        + "\"top_logprobs\":[]}]},\"delta\":{\"extra\":{\"content\":\"not this\"},\"refusal\":\"no\"}}],"
        + "\"usage\":{\"prompt_tokens\":3},\"model\":\"m\",\"x\":[1,{\"id\":\"inner\"}],\"id\":\"c2\"}");

    assertThat(chunk.id()).isEqualTo("c2");
    assertThat(chunk.content()).isEmpty();
    assertThat(chunk.refusal()).isEqualTo("no");
    assertThat(chunk.finishReason()).isEqualTo("stop");
    assertThat(chunk.usage().path("prompt_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void onlyTheFirstChoiceIsRead() throws IOException {
    ChatChunk chunk = read("{\"choices\":[{\"delta\":{\"content\":\"first\"}},{\"delta\":{\"content\":\"second\"},"
        + "\"finish_reason\":\"length\"}],\"id\":\"after\"}");

    assertThat(chunk.content()).isEqualTo("first");
    assertThat(chunk.finishReason()).isNull();
    assertThat(chunk.id()).isEqualTo("after");
  }

  @Test
  void reasoningContentWinsOverReasoningAndToolCallsAreATree() throws IOException {
    ChatChunk both = read("{\"choices\":[{\"delta\":{\"reasoning\":\"r\",\"reasoning_content\":\"rc\"}}]}");
    ChatChunk tools = read("{\"choices\":[{\"delta\":{\"reasoning\":\"r\",\"tool_calls\":[{\"index\":1,"
        + "\"function\":{\"arguments\":\"{\\\"a\\\"\"}}]}}]}");

    assertThat(both.reasoning()).isEqualTo("rc");
    assertThat(tools.reasoning()).isEqualTo("r");
    assertThat(tools.toolCalls().get(0).path("function").path("arguments").asText()).isEqualTo("{\"a\"");
  }

  @Test
  void nonStringTextsReadAsTheirScalarTextOrEmpty() throws IOException {
    ChatChunk chunk = read("{\"choices\":[{\"text\":12,\"delta\":{\"content\":{\"a\":1},\"refusal\":null},"
        + "\"finish_reason\":7}],\"id\":null}");

    assertThat(chunk.text()).isEqualTo("12");
    assertThat(chunk.content()).isEmpty();
    assertThat(chunk.refusal()).isEmpty();
    assertThat(chunk.finishReason()).isNull();
    assertThat(chunk.id()).isNull();
  }

  @Test
  void anErrorMemberIsSeenEvenWhenNull() throws IOException {
    assertThat(read("{\"error\":{\"message\":\"boom\"}}").error().path("message").asText()).isEqualTo("boom");
    assertThat(read("{\"error\":null}").hasError()).isTrue();
  }

  @Test
  void notAnObjectIsNullAndBrokenJsonFails() throws IOException {
    assertThat(read("[1]")).isNull();
    assertThat(read("")).isNull();
    assertThatThrownBy(() -> read("{\"choices\":[{\"delta\":{\"content\":\"cut")).isInstanceOf(IOException.class);
  }
}
