package io.tokenrouter.provider;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A request body the gateway wrote (or the client's own), handed to the HTTP client without the
 * copy {@link Buffer#buffer(byte[])} makes: for an agent's request of a few hundred kilobytes
 * that copy was one more array of its size per attempt. The array must not change afterwards,
 * which holds for every body here: each is written once and only read.
 */
public final class RequestBodies {
  private RequestBodies() {}

  public static Buffer of(byte[] body) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(body));
  }

  /**
   * Pieces sent one after the other, each from its position to its limit, as one buffer over them
   * (a composite, no copy); they must not change afterwards either.
   */
  public static Buffer of(List<ByteBuffer> pieces) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(pieces.toArray(ByteBuffer[]::new)));
  }
}
