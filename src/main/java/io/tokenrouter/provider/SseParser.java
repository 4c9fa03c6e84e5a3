package io.tokenrouter.provider;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Incremental Server-Sent Events parser (WHATWG rules: LF, CRLF or CR line ends; several
 * {@code data:} lines joined with LF; comments ignored). Feed it bytes as they arrive; it calls
 * back once per complete event with the event name (or null) and the data.
 *
 * <p>Each read is copied out of its network buffer once, in bulk, and scanned as a plain array:
 * reading a Netty buffer byte by byte checks bounds and reference count on every byte, which
 * the benchmark's profile showed as the event loop's hottest method.
 *
 * <p>One parser per stream, used on one event loop: not thread-safe by design.
 */
public final class SseParser {
  private static final byte[] NONE = new byte[0];
  private final BiConsumer<String, byte[]> onEvent;
  private byte[] pending = NONE;
  private String eventName;
  private byte[] data;
  private boolean skipLf;

  public SseParser(BiConsumer<String, byte[]> onEvent) {
    this.onEvent = onEvent;
  }

  public void feed(Buffer chunk) {
    byte[] input = join(pending, chunk.getBytes());
    int lineStart = 0;
    int len = input.length;
    for (int i = 0; i < len; i++) {
      byte b = input[i];
      if (skipLf) {
        skipLf = false;
        if (b == '\n') {
          lineStart = i + 1;
          continue;
        }
      }
      if (b == '\n' || b == '\r') {
        line(input, lineStart, i);
        skipLf = b == '\r';
        lineStart = i + 1;
      }
    }
    pending = lineStart == len ? NONE : Arrays.copyOfRange(input, lineStart, len);
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
      eventName = new String(in, valueStart, end - valueStart, StandardCharsets.UTF_8);
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
