package io.tokenrouter.provider;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * Incremental Server-Sent Events parser (WHATWG rules: LF, CRLF or CR line ends; several
 * {@code data:} lines joined with LF; comments ignored). Feed it bytes as they arrive; it calls
 * back once per complete event with the event name (or null) and the data.
 *
 * <p>One parser per stream, used on one event loop: not thread-safe by design.
 */
public final class SseParser {
  private final BiConsumer<String, Buffer> onEvent;
  private Buffer pending = Buffer.buffer(0);
  private String eventName;
  private Buffer data;
  private boolean skipLf;

  public SseParser(BiConsumer<String, Buffer> onEvent) {
    this.onEvent = onEvent;
  }

  public void feed(Buffer chunk) {
    Buffer input = pending.length() == 0 ? chunk : pending.appendBuffer(chunk);
    int lineStart = 0;
    int len = input.length();
    for (int i = 0; i < len; i++) {
      byte b = input.getByte(i);
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
    pending = lineStart == len ? Buffer.buffer(0) : input.getBuffer(lineStart, len);
  }

  /** The upstream closed: an event not terminated by a blank line is still delivered. */
  public void end() {
    if (pending.length() > 0) {
      Buffer rest = pending;
      pending = Buffer.buffer(0);
      line(rest, 0, rest.length());
    }
    dispatch();
  }

  private void line(Buffer in, int start, int end) {
    if (start == end) {
      dispatch();
      return;
    }
    if (in.getByte(start) == ':') {
      return;
    }
    int colon = -1;
    for (int i = start; i < end; i++) {
      if (in.getByte(i) == ':') {
        colon = i;
        break;
      }
    }
    int nameEnd = colon < 0 ? end : colon;
    int valueStart = colon < 0 ? end : colon + 1;
    if (valueStart < end && in.getByte(valueStart) == ' ') {
      valueStart++;
    }
    if (is(in, start, nameEnd, "data")) {
      if (data == null) {
        data = in.getBuffer(valueStart, end);
      } else {
        data.appendByte((byte) '\n').appendBuffer(in, valueStart, end - valueStart);
      }
    } else if (is(in, start, nameEnd, "event")) {
      eventName = in.getString(valueStart, end, StandardCharsets.UTF_8.name());
    }
  }

  private void dispatch() {
    if (data != null) {
      Buffer d = data;
      String name = eventName;
      data = null;
      eventName = null;
      onEvent.accept(name, d);
    } else {
      eventName = null;
    }
  }

  private static boolean is(Buffer in, int start, int end, String field) {
    if (end - start != field.length()) {
      return false;
    }
    for (int i = 0; i < field.length(); i++) {
      if (in.getByte(start + i) != field.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
