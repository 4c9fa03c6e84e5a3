package io.tokenrouter.provider;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.PromiseCombiner;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.ByteBuffer;

/**
 * Writes a heap buffer made of pieces (an edited request: ranges of the client's body and the
 * parts written again, {@link RequestBodies#of(java.util.List)}) to the upstream's socket piece
 * by piece. Netty's epoll transport copies a heap buffer into a direct one before writing it, and
 * for a buffer of several pieces the allocator's copy reads it through {@code nioBuffer()}, which
 * first joins the pieces into one more heap array of the body's size. Piece by piece, each is
 * copied once, and they still leave in one {@code writev} at the flush. Placed first in the
 * pipeline, after TLS: an encrypted connection's buffers are direct and pass as they are.
 */
@Sharable
final class PieceWriter extends ChannelOutboundHandlerAdapter {
  static final PieceWriter INSTANCE = new PieceWriter();

  private PieceWriter() {}

  static void install(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      base.channelHandlerContext().pipeline().addFirst("tokenrouterPieceWriter", INSTANCE);
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf buf) || buf.isDirect() || buf.nioBufferCount() < 2) {
      ctx.write(msg, promise);
      return;
    }
    PromiseCombiner written = new PromiseCombiner(ctx.executor());
    int at = buf.readerIndex();
    for (ByteBuffer piece : buf.nioBuffers()) {
      written.add(ctx.write(buf.retainedSlice(at, piece.remaining())));
      at += piece.remaining();
    }
    buf.release();
    written.finish(promise);
  }
}
