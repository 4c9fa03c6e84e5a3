package io.tokenrouter.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives every request an id: the client's {@code X-Request-Id} when it is a sane token, a new
 * one otherwise; echoed on the response and carried into the log line and the usage record.
 */
final class RequestIds implements Handler<RoutingContext> {
  static final String HEADER = "X-Request-Id";
  static final String KEY = "tokenrouter.requestId";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  @Override
  public void handle(RoutingContext ctx) {
    String id = ctx.request().getHeader(HEADER);
    if (!acceptable(id)) {
      id = generate();
    }
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  static String of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  private static boolean acceptable(String id) {
    if (id == null || id.isEmpty() || id.length() > 64) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  /**
   * "req_" and 32 hex digits: the time in milliseconds (12 digits), then 80 random bits. Ids
   * generated later sort later, so the requests table's request_id index grows at its end; with
   * random ids every record landed on a random page of that index, and the embedded database
   * rewrote (and later compacted) most of the index's pages on every write to disk, the largest
   * part of the CPU it spent per record.
   */
  private static String generate() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long a = System.currentTimeMillis() << 16 | r.nextInt(1 << 16);
    long b = r.nextLong();
    char[] out = new char[36];
    "req_".getChars(0, 4, out, 0);
    for (int i = 0; i < 16; i++) {
      out[4 + i] = HEX[(int) (a >>> (60 - 4 * i)) & 0xf];
      out[20 + i] = HEX[(int) (b >>> (60 - 4 * i)) & 0xf];
    }
    return new String(out);
  }
}
