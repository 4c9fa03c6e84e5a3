package io.tokenrouter.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Request bodies into JSON objects: what is refused, and how the refusal reads to the client. */
class JsonBodyTest {
  private static ObjectNode parse(String body) {
    return JsonBody.parseObject(body.getBytes(StandardCharsets.UTF_8), null, "messages");
  }

  private static String refusal(byte[] body) {
    try {
      JsonBody.parseObject(body, null, "messages");
    } catch (InvalidRequestException e) {
      assertThat(e.param()).isNull();
      return e.getMessage();
    }
    throw new AssertionError("accepted: " + new String(body, StandardCharsets.UTF_8));
  }

  private static String refusal(String body) {
    return refusal(body.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] withRawBytes(int... raw) {
    byte[] prefix = "{\"model\":\"".getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[prefix.length + raw.length + 2];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    for (int i = 0; i < raw.length; i++) {
      out[prefix.length + i] = (byte) raw[i];
    }
    out[out.length - 2] = '"';
    out[out.length - 1] = '}';
    return out;
  }

  @Test
  void anObjectParsesWithItsTextIntact() {
    ObjectNode body = parse("{\"model\":\"gpt-4o\",\"messages\":[{\"content\":\"h\u00e9llo \ud83d\ude00\"}]}");

    assertThat(body.path("messages").path(0).path("content").asText()).isEqualTo("h\u00e9llo \ud83d\ude00");
  }

  @Test
  void overlongNulIsNotUtf8() {
    assertThat(refusal(withRawBytes(0xC0, 0x80)))
        .isEqualTo("The request body is not valid UTF-8: the bytes at offset 10 are not a UTF-8 character.");
  }

  @Test
  void encodedSurrogateIsNotUtf8() {
    assertThat(refusal(withRawBytes(0xED, 0xA0, 0x80))).startsWith("The request body is not valid UTF-8");
  }

  @Test
  void codePointPastUnicodeIsNotUtf8() {
    assertThat(refusal(withRawBytes(0xF4, 0x90, 0x80, 0x80))).startsWith("The request body is not valid UTF-8");
  }

  @Test
  void truncatedSequenceIsNotUtf8() {
    assertThat(refusal(withRawBytes(0xE2, 0x82))).startsWith("The request body is not valid UTF-8");
  }

  @Test
  void aNulByteIsFoundWhereverItFallsInAWord() {
    for (int at = 10; at < 30; at++) {
      byte[] body = ("{\"model\":\"" + "x".repeat(25) + "\"}").getBytes(StandardCharsets.US_ASCII);
      body[at] = 0;
      assertThat(refusal(body)).as("at %d", at)
          .isEqualTo("The request body contains a NUL byte at offset " + at + "; send the JSON as UTF-8 text.");
    }
  }

  @Test
  void badUtf8IsFoundWhereverItFallsInAWord() {
    for (int pad = 0; pad < 9; pad++) {
      String before = "{\"model\":\"" + "x".repeat(pad);
      byte[] ascii = (before + "ab\"}").getBytes(StandardCharsets.US_ASCII);
      ascii[before.length()] = (byte) 0xC0;
      ascii[before.length() + 1] = (byte) 0x80;
      assertThat(refusal(ascii)).as("pad %d", pad).isEqualTo("The request body is not valid UTF-8: the bytes at offset "
          + before.length() + " are not a UTF-8 character.");
    }
  }

  @Test
  void utf16IsRefusedForItsNulBytes() {
    assertThat(refusal("{\"model\":\"x\"}".getBytes(StandardCharsets.UTF_16LE)))
        .isEqualTo("The request body contains a NUL byte at offset 1; send the JSON as UTF-8 text.");
  }

  @Test
  void contentAfterTheObjectIsRefused() {
    assertThat(refusal("{\"a\":1} {\"b\":2}"))
        .isEqualTo("The request body has more content after its JSON object (line 1, column 9).");
  }

  @Test
  void truncatedJsonSaysSo() {
    assertThat(refusal("{\"a\":[1,2")).startsWith("The request body ends before its JSON is complete");
  }

  @Test
  void nestingPastTheLimitIsRefusedInPlainWords() {
    assertThat(refusal("{\"a\":" + "[".repeat(1500) + "]".repeat(1500) + "}"))
        .isEqualTo("The request body nests objects and arrays more than 1000 levels deep.");
  }

  @Test
  void overLongNumberIsRefusedInPlainWords() {
    assertThat(refusal("{\"a\":" + "9".repeat(1500) + "}"))
        .isEqualTo("A number in the request body is longer than 1000 characters.");
  }

  @Test
  void numberBeyondADoubleIsRefused() {
    assertThat(refusal("{\"temperature\":1e999}")).isEqualTo("A number in the request body is too large to represent.");
  }

  @Test
  void emptyBodyIsRefused() {
    assertThat(refusal("")).isEqualTo("The request body is empty; it must be a JSON object.");
  }

  @Test
  void arrayIsNotAnObject() {
    assertThat(refusal("[1]")).isEqualTo("The request body must be a JSON object, not an array.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":NaN}", "{\"a\":1 // c\n}", "{'a':1}", "{\"a\":[1}", "{\"a\":01}", "{\"a\" 1}",
      "{\"a\":\"\u0001\"}", "{\"a\":\"\\x\"}", "{\"a\":tru}", "nul", "{\"a\":1,}"})
  void syntaxErrorsNeverNameTheParser(String body) {
    assertThat(refusal(body)).startsWith("The request body ")
        .doesNotContain("`", "Feature", "Source", "jackson", "Jackson", "Exception", "com.")
        .contains("(line 1, column");
  }
}
