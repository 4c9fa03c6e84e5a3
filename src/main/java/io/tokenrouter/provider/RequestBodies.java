package io.tokenrouter.provider;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

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
    CompositeByteBuf joined = Unpooled.compositeBuffer(pieces.size());
    // Most pieces are ranges of one array (the client's body): each is a slice of that array
    // wrapped once, not an array wrapped again per piece (two objects more for each of a few hundred).
    Map<byte[], ByteBuf> wrapped = new IdentityHashMap<>();
    for (ByteBuffer piece : pieces) {
      byte[] array = piece.array();
      int from = piece.arrayOffset() + piece.position();
      int length = piece.remaining();
      if (length == 0) {
        continue;
      }
      joined.addComponent(true, from == 0 && length == array.length ? Unpooled.wrappedBuffer(array)
          : wrapped.computeIfAbsent(array, Unpooled::wrappedBuffer).retainedSlice(from, length));
    }
    // the slices hold the arrays now
    wrapped.values().forEach(ByteBuf::release);
    return BufferInternal.buffer(joined);
  }
}
