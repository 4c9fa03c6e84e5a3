package io.tokenrouter.provider;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Incremental Server-Sent Events parser (WHATWG rules: LF, CRLF or CR line ends; several
 * {@code data:} lines joined with LF; comments ignored). Feed it bytes as they arrive; it calls
 * back once per complete event with the event name (or null) and the data.
 *
 * <p>Each read is scanned as a plain array: reading a Netty buffer byte by byte checks bounds and
 * reference count on every byte, which the benchmark's profile showed as the event loop's
 * hottest method. The Vert.x client hands over each read as a copy on the heap, whose array is
 * scanned where it is; only a read that continues a line cut by the one before, or one that is
 * not on the heap, is copied first (copying every read was a ninth of a streamed request's
 * allocation).
 *
 * <p>One parser per stream, used on one event loop: not thread-safe by design.
 */
public final class SseParser {
  private static final byte[] NONE = new byte[0];
  private final BiConsumer<String, byte[]> onEvent;
  private byte[] pending = NONE;
  private String eventName;
  /** The last event name read, and its bytes: a stream repeats a few names, and shares one instance. */
  private String lastName;
  private byte[] lastNameBytes = NONE;
  private byte[] data;
  /** A CR ended the last read: an LF that starts the next one ends the same line. */
  private boolean skipLf;

  public SseParser(BiConsumer<String, byte[]> onEvent) {
    this.onEvent = onEvent;
  }

  public void feed(Buffer chunk) {
    ByteBuf bytes = pending.length == 0 && chunk instanceof BufferInternal internal ? internal.getByteBuf() : null;
    if (bytes != null && bytes.hasArray()) {
      int from = bytes.arrayOffset() + bytes.readerIndex();
      scan(bytes.array(), from, from + bytes.readableBytes());
    } else {
      byte[] input = join(pending, chunk.getBytes());
      scan(input, 0, input.length);
    }
  }

  /** Delivers the lines of {@code input[from, end)}; what follows the last line end waits in {@code pending}. */
  private void scan(byte[] input, int from, int end) {
    int lineStart = from;
    if (skipLf && from < end) {
      skipLf = false;
      if (input[from] == '\n') {
        lineStart++;
      }
    }
    int at = lineStart;
    while ((at = LineEnds.next(input, at, end)) >= 0) {
      line(input, lineStart, at);
      if (input[at] == '\r') {
        if (at + 1 == end) {
          skipLf = true;
        } else if (input[at + 1] == '\n') {
          at++;
        }
      }
      lineStart = ++at;
    }
    pending = lineStart == end ? NONE : Arrays.copyOfRange(input, lineStart, end);
  }

  /** The upstream closed: an event not terminated by a blank line is still delivered. */
  public void end() {
    if (pending.length > 0) {
      byte[] rest = pending;
      pending = NONE;
      line(rest, 0, rest.length);
    }
    dispatch();
  }

  private void line(byte[] in, int start, int end) {
    if (start == end) {
      dispatch();
      return;
    }
    if (in[start] == ':') {
      return;
    }
    int colon = -1;
    for (int i = start; i < end; i++) {
      if (in[i] == ':') {
        colon = i;
        break;
      }
    }
    int nameEnd = colon < 0 ? end : colon;
    int valueStart = colon < 0 ? end : colon + 1;
    if (valueStart < end && in[valueStart] == ' ') {
      valueStart++;
    }
    if (is(in, start, nameEnd, "data")) {
      byte[] value = Arrays.copyOfRange(in, valueStart, end);
      if (data == null) {
        data = value;
      } else {
        byte[] joined = Arrays.copyOf(data, data.length + 1 + value.length);
        joined[data.length] = '\n';
        System.arraycopy(value, 0, joined, data.length + 1, value.length);
        data = joined;
      }
    } else if (is(in, start, nameEnd, "event")) {
      eventName = name(in, valueStart, end);
    }
  }

  private void dispatch() {
    if (data != null) {
      byte[] d = data;
      String name = eventName;
      data = null;
      eventName = null;
      onEvent.accept(name, d);
    } else {
      eventName = null;
    }
  }

  private String name(byte[] in, int start, int end) {
    if (lastName == null || !Arrays.equals(in, start, end, lastNameBytes, 0, lastNameBytes.length)) {
      lastNameBytes = Arrays.copyOfRange(in, start, end);
      lastName = new String(lastNameBytes, StandardCharsets.UTF_8);
    }
    return lastName;
  }

  private static byte[] join(byte[] head, byte[] tail) {
    if (head.length == 0) {
      return tail;
    }
    byte[] joined = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, joined, head.length, tail.length);
    return joined;
  }

  private static boolean is(byte[] in, int start, int end, String field) {
    if (end - start != field.length()) {
      return false;
    }
    for (int i = 0; i < field.length(); i++) {
      if (in[start + i] != field.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
