package io.tokenrouter.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenrouter.reply.GatewayError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link JsonTaps#rootField}: the usage of a whole reply, from the end when it closes the root object. */
class JsonTapsTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String embedding(int dimensions) {
    StringBuilder sb = new StringBuilder("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[");
    for (int i = 0; i < dimensions; i++) {
      sb.append(i == 0 ? "" : ",").append("-0.0").append(i % 10).append("1234567");
    }
    return sb.append("]}],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}")
        .toString();
  }

  @Test
  void anEmbeddingsUsageIsReadFromTheEnd() {
    byte[] body = b(embedding(1536));

    assertThat(JsonTaps.closingField(body, "usage")).hasToString("{\"prompt_tokens\":8,\"total_tokens\":8}");
    assertThat(JsonTaps.rootField(body, "usage", "p")).hasToString("{\"prompt_tokens\":8,\"total_tokens\":8}");
  }

  @Test
  void scalarMembersAfterTheUsageAndPrettyPrintingKeepItAtTheEnd() {
    byte[] body = b("""
        {
          "id": "chatcmpl-1",
          "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}}],
          "usage": {
            "prompt_tokens": 5,
            "completion_tokens": 2
          },
          "service_tier": "default",
          "system_fingerprint": null,
          "n": -1.5E3
        }\r
        """);

    assertThat(JsonTaps.closingField(body, "usage")).hasToString("{\"prompt_tokens\":5,\"completion_tokens\":2}");
  }

  @Test
  void aUsageFollowedByAStructuredMemberIsFoundByReadingTheWholeBody() {
    byte[] body = b("{\"usage\":{\"a\":1},\"choices\":[{\"usage\":{\"a\":2}}]}");

    assertThat(JsonTaps.closingField(body, "usage")).isNull();
    assertThat(JsonTaps.rootField(body, "usage", "p")).hasToString("{\"a\":1}");
  }

  @Test
  void aUsageInsideANestedObjectIsNotTheRootsUsage() {
    byte[] body = b("{\"data\":{\"usage\":{\"a\":1}}}");

    assertThat(JsonTaps.closingField(body, "usage")).isNull();
    assertThat(JsonTaps.rootField(body, "usage", "p")).isNull();
  }

  @Test
  void aNameThatOnlyEndsWithTheFieldInsideAStringIsNotTheField() {
    byte[] body = b("{\"say \\\"usage\":{\"a\":1}}");

    assertThat(JsonTaps.closingField(body, "usage")).isNull();
    assertThat(JsonTaps.rootField(body, "usage", "p")).isNull();
  }

  @Test
  void aStringValueAfterTheUsageMayHoldBracesAndEscapedQuotes() {
    byte[] body = b("{\"usage\":{\"a\":1},\"note\":\"} \\\" {[\"}");

    assertThat(JsonTaps.closingField(body, "usage")).hasToString("{\"a\":1}");
  }

  @Test
  void aBodyWithoutUsageIsReadWholeAndNotJsonIsABadResponse() {
    assertThat(JsonTaps.rootField(b("{\"id\":\"x\",\"data\":[1,2]}"), "usage", "p")).isNull();
    for (String bad : new String[] {"[1]", "{\"a\":1} {}", "{\"a\":", "<html>bad gateway</html>",
        "x{\"usage\":{}}", "{\"usage\":{}} x"}) {
      assertThatThrownBy(() -> JsonTaps.rootField(b(bad), "usage", "p")).as(bad)
          .isInstanceOfSatisfying(GatewayError.class, e -> assertThat(e.code()).isEqualTo("upstream_bad_response"));
    }
  }

  @Test
  void theMiddleOfABodyThatClosesWithItsUsageIsLeftToTheClient() {
    byte[] body = b("{\"data\":[1,,2]} {\"usage\":{\"a\":1}}");

    assertThat(JsonTaps.rootField(body, "usage", "p")).hasToString("{\"a\":1}");
  }
}
