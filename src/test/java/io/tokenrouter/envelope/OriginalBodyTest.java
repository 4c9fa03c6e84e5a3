package io.tokenrouter.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OriginalBodyTest {
  private static String withModel(String body, String model) {
    byte[] out = OriginalBody.withModel(body.getBytes(StandardCharsets.UTF_8), model);
    return out == null ? null : new String(out, StandardCharsets.UTF_8);
  }

  @Test
  void replacesTheModelAndKeepsEveryOtherByte() {
    assertThat(withModel("{\"model\":\"fast\",\"temperature\":0.70,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "gpt-4o-mini"))
        .isEqualTo("{\"model\":\"gpt-4o-mini\",\"temperature\":0.70,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
  }

  @Test
  void findsTheModelAfterTheConversation() {
    assertThat(withModel("{ \"messages\": [{\"role\":\"user\",\"content\":\"é 😀 \\\"model\\\"\"}],\n \"model\" : \"fast\" }",
        "m2"))
        .isEqualTo("{ \"messages\": [{\"role\":\"user\",\"content\":\"é 😀 \\\"model\\\"\"}],\n \"model\" : \"m2\" }");
  }

  @Test
  void leavesModelsInsideOtherMembersAlone() {
    assertThat(withModel("{\"metadata\":{\"model\":\"x\"},\"tools\":[{\"model\":\"y\"}],\"model\":\"fast\"}", "m2"))
        .isEqualTo("{\"metadata\":{\"model\":\"x\"},\"tools\":[{\"model\":\"y\"}],\"model\":\"m2\"}");
  }

  @Test
  void escapesTheNewName() {
    assertThat(withModel("{\"model\":\"fast\"}", "a\"b\\c")).isEqualTo("{\"model\":\"a\\\"b\\\\c\"}");
  }

  @Test
  void anEscapedOldNameIsReplacedWhole() {
    assertThat(withModel("{\"model\":\"f\\u0061st\",\"n\":1}", "m2")).isEqualTo("{\"model\":\"m2\",\"n\":1}");
  }

  @Test
  void aBodyWithTwoModelsIsNotEdited() {
    assertThat(withModel("{\"model\":\"a\",\"messages\":[],\"model\":\"b\"}", "m2")).isNull();
  }

  @Test
  void aBodyWithoutAStringModelIsNotEdited() {
    assertThat(withModel("{\"messages\":[]}", "m2")).isNull();
    assertThat(withModel("{\"model\":null}", "m2")).isNull();
    assertThat(withModel("{\"model\":[\"a\"]}", "m2")).isNull();
  }

  @Test
  void aBodyThatSpellsATopLevelNameWithEscapesIsNotEdited() {
    assertThat(withModel("{\"model\":\"fast\",\"mod\\u0065l\":\"other\"}", "m2")).isNull();
  }
}
