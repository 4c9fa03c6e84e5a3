package io.tokenrouter.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DecoderException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a model API request's whole body before its handler runs, into one array of the body's
 * size. Vert.x Web's body handler grows a buffer by doubling and copies the body out of it: for
 * an agent's request of 300 KB, 1.3 MB of arrays, the largest 512 KB, which G1 allocates in old
 * regions as a humongous object (bench/RESULTS.md). Here the chunks Vert.x hands over (its own
 * copies of the socket's bytes, ours to keep) are kept as they come and copied once, at the end,
 * into an array of exactly their length; a body that came in one chunk (every body of declared
 * length on a gateway connection, {@link BodyJoiner}) is that chunk's array when it has no other
 * bytes around it. Nothing is allocated for bytes not yet received, whatever
 * length the client declares. The answers are Vert.x Web's: 413 past the limit (before reading
 * when the declared length is already past it), 417 for an expectation other than
 * {@code 100-continue}, which is answered; an HTTP/1.1 request that declares neither a length nor
 * chunks has no body.
 */
final class RequestBodyReader implements Handler<RoutingContext> {
  private static final String KEY = "tokenrouter.body";
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
    Body body = new Body();
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

  /**
   * The chunks so far, joined at the end. Chunks under {@value #SMALL} bytes (a client may send
   * a chunked body a byte at a time) are gathered into one growing buffer among them, so that
   * what is kept costs about what was received.
   */
  private static final class Body {
    private static final int SMALL = 1024;
    private final List<Buffer> chunks = new ArrayList<>(8);
    private Buffer gathered;
    private long length;
    private boolean failed;

    boolean append(Buffer chunk, long limit) {
      length += chunk.length();
      if (length > limit) {
        return false;
      }
      if (chunk.length() < SMALL) {
        if (gathered == null) {
          gathered = Buffer.buffer(SMALL);
          chunks.add(gathered);
        }
        gathered.appendBuffer(chunk);
      } else {
        gathered = null;
        chunks.add(chunk);
      }
      return true;
    }

    byte[] bytes() {
      if (chunks.size() == 1 && chunks.getFirst() != gathered) {
        ByteBuf only = ((BufferInternal) chunks.getFirst()).getByteBuf();
        if (only.hasArray() && only.arrayOffset() + only.readerIndex() == 0 && only.array().length == length) {
          return only.array();
        }
      }
      byte[] joined = new byte[(int) length];
      int at = 0;
      for (Buffer chunk : chunks) {
        chunk.getBytes(0, chunk.length(), joined, at);
        at += chunk.length();
      }
      return joined;
    }
  }
}
