package io.tokenrouter.http;

import io.netty.handler.codec.DecoderException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a model API request's whole body before its handler runs, into an array that ends the
 * size of the body. Vert.x Web's body handler grows a buffer by doubling and copies the body out
 * of it: for an agent's request of 300 KB, 1.3 MB of arrays, the largest 512 KB, which G1
 * allocates in old regions as a humongous object (bench/RESULTS.md). Here the array starts at
 * most {@value #FIRST} bytes, as Vert.x's does (a declared length is not trusted with more before
 * the bytes come), doubles as they come, and never grows past the declared length, so its last
 * size is the body's and no array is humongous below the size of the body itself. The answers
 * are Vert.x Web's: 413 past the limit (before reading when the declared length is already past
 * it), 417 for an expectation other than {@code 100-continue}, which is answered; an HTTP/1.1
 * request that declares neither a length nor chunks has no body.
 */
final class RequestBodyReader implements Handler<RoutingContext> {
  private static final String KEY = "tokenrouter.body";
  private static final int FIRST = 65_536;
  private static final byte[] EMPTY = new byte[0];
  private final long limit;

  RequestBodyReader(long limit) {
    this.limit = limit;
  }

  /** The body read for this request. */
  static byte[] of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.get(KEY) != null) {
      ctx.next();
      return;
    }
    HttpServerRequest request = ctx.request();
    long declared = declaredLength(request);
    if (declared > limit) {
      ctx.fail(413);
      return;
    }
    String expect = request.getHeader(HttpHeaders.EXPECT);
    if (expect != null) {
      if (!expect.equalsIgnoreCase("100-continue")) {
        ctx.fail(417);
        return;
      }
      if (request.version() != HttpVersion.HTTP_2) {
        ctx.response().writeContinue();
      }
    }
    boolean chunked = request.version() == HttpVersion.HTTP_2 || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    if (request.isEnded() || declared < 0 && !chunked) {
      ctx.put(KEY, EMPTY);
      ctx.next();
      return;
    }
    Body body = new Body(declared);
    // as Vert.x Web's handler: a body the codec could not decode is the client's fault (400); a
    // connection lost under it fails with 200, which the failure handler answers with nothing
    request.exceptionHandler(failure -> {
      if (!body.failed) {
        body.failed = true;
        boolean undecodable = failure instanceof DecoderException;
        ctx.fail(undecodable ? 400 : 200, undecodable && failure.getCause() != null ? failure.getCause() : failure);
      }
    });
    request.handler(chunk -> {
      if (!body.failed && !body.append(chunk, limit)) {
        body.failed = true;
        ctx.fail(413);
      }
    });
    request.endHandler(v -> {
      if (!body.failed) {
        ctx.put(KEY, body.bytes());
        ctx.next();
      }
    });
    request.resume();
  }

  private static long declaredLength(HttpServerRequest request) {
    String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The bytes so far, in an array that grows as they come, to the declared length at most. */
  private static final class Body {
    private final long declared;
    private byte[] bytes;
    private int length;
    private boolean failed;

    Body(long declared) {
      this.declared = declared;
      bytes = new byte[(int) (declared >= 0 ? Math.min(declared, FIRST) : FIRST)];
    }

    boolean append(Buffer chunk, long limit) {
      int n = chunk.length();
      long needed = length + (long) n;
      if (needed > limit) {
        return false;
      }
      if (needed > bytes.length) {
        long grown = Math.max((long) bytes.length * 2, needed);
        if (declared >= needed) {
          grown = Math.min(grown, declared);
        }
        byte[] larger = new byte[(int) Math.min(grown, limit)];
        System.arraycopy(bytes, 0, larger, 0, length);
        bytes = larger;
      }
      chunk.getBytes(0, n, bytes, length);
      length += n;
      return true;
    }

    byte[] bytes() {
      if (length == bytes.length) {
        return bytes;
      }
      byte[] exact = new byte[length];
      System.arraycopy(bytes, 0, exact, 0, length);
      return exact;
    }
  }
}
