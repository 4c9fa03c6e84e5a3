package io.tokenrouter.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamUsageOptionTest {
  private static String added(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return StreamUsageOption.added(List.of(ByteBuffer.wrap(bytes))).toString(StandardCharsets.UTF_8);
  }

  @Test
  void putsTheOptionFirstAndKeepsTheRestByteForByte() {
    assertThat(added("{\"model\":\"m\",\"stream\":true,\"temperature\":1.50,\"x_vendor\":{\"k\":[1, 2]}}"))
        .isEqualTo("{\"stream_options\":{\"include_usage\":true},\"model\":\"m\",\"stream\":true,"
            + "\"temperature\":1.50,\"x_vendor\":{\"k\":[1, 2]}}");
  }

  @Test
  void keepsWhitespaceBeforeAndInsideTheObject() {
    assertThat(added(" \n{\n  \"model\": \"m\"\n}\n"))
        .isEqualTo(" \n{\"stream_options\":{\"include_usage\":true},\n  \"model\": \"m\"\n}\n");
  }

  @Test
  void anEmptyObjectGetsNoComma() {
    assertThat(added("{ }")).isEqualTo("{\"stream_options\":{\"include_usage\":true} }");
  }

  @Test
  void multiByteTextIsCopiedUntouched() {
    assertThat(added("{\"messages\":[{\"role\":\"user\",\"content\":\"héllo 😀\"}]}"))
        .isEqualTo("{\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"héllo 😀\"}]}");
  }

  @Test
  void aBodyInPiecesGetsTheOptionAfterItsBraceWhateverPieceTheRestIsIn() {
    List<ByteBuffer> pieces = List.of(ByteBuffer.wrap(" {".getBytes(StandardCharsets.UTF_8)),
        ByteBuffer.wrap("xx\n \"model\":\"m\"}yy".getBytes(StandardCharsets.UTF_8), 2, 14));

    assertThat(StreamUsageOption.added(pieces).toString(StandardCharsets.UTF_8))
        .isEqualTo(" {\"stream_options\":{\"include_usage\":true},\n \"model\":\"m\"}");
  }

  @Test
  void anEmptyObjectInPiecesGetsNoComma() {
    List<ByteBuffer> pieces = List.of(ByteBuffer.wrap("{".getBytes(StandardCharsets.UTF_8)),
        ByteBuffer.wrap(" }".getBytes(StandardCharsets.UTF_8)));

    assertThat(StreamUsageOption.added(pieces).toString(StandardCharsets.UTF_8))
        .isEqualTo("{\"stream_options\":{\"include_usage\":true} }");
  }
}
