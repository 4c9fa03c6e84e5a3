package io.tokenrouter.http;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WARN lines about malformed or stalled client traffic. A client's garbage is not the gateway's
 * fault, and one client can send it as fast as the network allows: so at most one line per kind
 * per interval, carrying how many were left out since the previous one, never a stack trace,
 * and with the client's text shortened and stripped of control characters.
 */
final class ClientFaults {
  /** What the client did wrong; one rate limit each. */
  enum Kind {
    MALFORMED_REQUEST("malformed_request"),
    REQUEST_LINE_TOO_LONG("request_line_too_long"),
    HEADERS_TOO_LARGE("headers_too_large"),
    MALFORMED_URL("malformed_url"),
    MALFORMED_BODY("malformed_body"),
    HEADER_TIMEOUT("header_timeout"),
    BODY_TIMEOUT("body_timeout");

    private final String code;

    Kind(String code) {
      this.code = code;
    }
  }

  private static final Logger log = LoggerFactory.getLogger(ClientFaults.class);
  private static final int MAX_DETAIL = 200;
  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final Map<Kind, Window> windows = new EnumMap<>(Kind.class);

  ClientFaults(Duration interval, LongSupplier nanoClock) {
    this.intervalNanos = interval.toNanos();
    this.nanoClock = nanoClock;
    long start = nanoClock.getAsLong();
    for (Kind kind : Kind.values()) {
      windows.put(kind, new Window(start));
    }
  }

  /** Thread-safe: one instance serves every event loop. */
  void report(Kind kind, Object client, String detail) {
    Window window = windows.get(kind);
    long now = nanoClock.getAsLong();
    long next = window.nextLine.get();
    if (now - next < 0 || !window.nextLine.compareAndSet(next, now + intervalNanos)) {
      window.suppressed.incrementAndGet();
      return;
    }
    log.atWarn()
        .addKeyValue("fault", kind.code)
        .addKeyValue("client", String.valueOf(client))
        .addKeyValue("suppressed", window.suppressed.getAndSet(0))
        .log("client sent {}: {}", kind.code, printable(detail));
  }

  private static String printable(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_DETAIL) + 3);
    for (int i = 0; i < text.length() && sb.length() < MAX_DETAIL; i++) {
      char c = text.charAt(i);
      sb.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
    }
    if (sb.length() < text.length()) {
      sb.append("...");
    }
    return sb.toString();
  }

  private static final class Window {
    final AtomicLong nextLine;
    final AtomicLong suppressed = new AtomicLong();

    Window(long start) {
      this.nextLine = new AtomicLong(start);
    }
  }
}
