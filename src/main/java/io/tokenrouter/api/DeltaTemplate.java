package io.tokenrouter.api;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.provider.JsonTaps;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The JSON of a streamed delta event, which repeats with only its text (and perhaps a counter)
 * changed. Its shape is written once by Jackson, with {@link #TEXT} where the text goes and
 * optionally {@link #NUMBER} after it; each event is then the bytes around them with the text as
 * Jackson's encoder quotes it: the JSON a tree of that event would give (byte for byte, but for
 * characters beyond the basic plane, which Jackson's writer escapes as surrogate pairs and this
 * writes as UTF-8, as providers send them). Writing each delta
 * as a tree took about 1.4 µs, a chat stream of 38 chunks 50 µs; this takes about 0.1 µs
 * (bench/RESULTS.md).
 */
public final class DeltaTemplate {
  /** Marks where the text goes in the shape handed to {@link #of}. */
  public static final String TEXT = "\u0000text\u0000";
  /** Marks where the number goes, after the text, in the shape handed to {@link #of}. */
  public static final long NUMBER = -7_777_777_777_777_777_777L;
  private static final byte[] TEXT_BYTES = Json.bytes(Json.MAPPER.getNodeFactory().textNode(TEXT));
  private static final byte[] NUMBER_BYTES = Long.toString(NUMBER).getBytes(StandardCharsets.US_ASCII);
  private final byte[] head;
  private final byte[] middle;
  /** Null when the shape has no number. */
  private final byte[] tail;

  private DeltaTemplate(byte[] head, byte[] middle, byte[] tail) {
    this.head = head;
    this.middle = middle;
    this.tail = tail;
  }

  /** The template of {@code shape}, which holds {@link #TEXT} once and may hold {@link #NUMBER} once after it. */
  public static DeltaTemplate of(ObjectNode shape) {
    byte[] json = Json.bytes(shape);
    int text = JsonTaps.indexOf(json, TEXT_BYTES, 0);
    if (text < 0) {
      throw new IllegalArgumentException("the shape has no text marker: " + shape);
    }
    int afterText = text + TEXT_BYTES.length;
    int number = JsonTaps.indexOf(json, NUMBER_BYTES, afterText);
    byte[] head = Arrays.copyOfRange(json, 0, text);
    if (number < 0) {
      return new DeltaTemplate(head, Arrays.copyOfRange(json, afterText, json.length), null);
    }
    return new DeltaTemplate(head, Arrays.copyOfRange(json, afterText, number),
        Arrays.copyOfRange(json, number + NUMBER_BYTES.length, json.length));
  }

  /** The event with {@code text}, for a shape without a number. */
  public byte[] render(String text) {
    return render(text, null);
  }

  /** The event with {@code text} and {@code number}, for a shape with both. */
  public byte[] render(String text, long number) {
    return render(text, Long.toString(number).getBytes(StandardCharsets.US_ASCII));
  }

  private byte[] render(String text, byte[] digits) {
    if ((digits == null) != (tail == null)) {
      throw new IllegalStateException(tail == null ? "this shape has no number" : "this shape needs a number");
    }
    byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(text);
    int length = head.length + quoted.length + 2 + middle.length + (digits == null ? 0 : digits.length + tail.length);
    byte[] out = new byte[length];
    int at = put(out, 0, head);
    out[at++] = '"';
    at = put(out, at, quoted);
    out[at++] = '"';
    at = put(out, at, middle);
    if (digits != null) {
      at = put(out, at, digits);
      put(out, at, tail);
    }
    return out;
  }

  private static int put(byte[] out, int at, byte[] part) {
    System.arraycopy(part, 0, out, at, part.length);
    return at + part.length;
  }
}
