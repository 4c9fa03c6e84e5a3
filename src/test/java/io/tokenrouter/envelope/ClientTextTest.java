package io.tokenrouter.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Identifiers from clients: printable text of bounded length, or a 400 naming the field. */
class ClientTextTest {
  @Test
  void printableTextPasses() {
    assertThat(ClientText.identifier("claude-sonnet-4.5 \u00fcber \ud83d\ude00", "model"))
        .isEqualTo("claude-sonnet-4.5 \u00fcber \ud83d\ude00");
  }

  @Test
  void nulIsRefusedNamingTheFieldAndPosition() {
    assertThatThrownBy(() -> ClientText.identifier("ab\u0000", "metadata.user_id"))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.param()).isEqualTo("metadata.user_id");
          assertThat(e.getMessage()).isEqualTo("'metadata.user_id' contains the control or invisible character U+0000"
              + " at position 2; only printable text is accepted.");
        });
  }

  @Test
  void loneSurrogateIsRefused() {
    assertThatThrownBy(() -> ClientText.identifier("x\ud800", "model"))
        .hasMessage("'model' contains an unpaired surrogate (U+D800) at position 1, which is not valid Unicode text.");
  }

  @Test
  void lineBreaksDeleteAndBidiOverridesAreRefused() {
    for (String bad : new String[] {"a\nb", "a\u007fb", "a\u0085b", "a\u2028b", "a\u202eb", "a\u200bb"}) {
      assertThatThrownBy(() -> ClientText.identifier(bad, "user")).isInstanceOf(InvalidRequestException.class);
    }
  }

  @Test
  void lengthIsCountedInCharactersNotUtf16Units() {
    String hundredEmoji = "\ud83d\ude00".repeat(100);

    assertThat(ClientText.modelName(hundredEmoji, "model")).isEqualTo(hundredEmoji);
    assertThatThrownBy(() -> ClientText.modelName(hundredEmoji + "x", "model"))
        .hasMessage("'model' is 101 characters long; at most 100 are accepted.");
  }

  @Test
  void identifiersDefaultTo256Characters() {
    assertThat(ClientText.identifier("u".repeat(256), "user")).hasSize(256);
    assertThatThrownBy(() -> ClientText.identifier("u".repeat(257), "user")).isInstanceOf(InvalidRequestException.class);
  }
}
