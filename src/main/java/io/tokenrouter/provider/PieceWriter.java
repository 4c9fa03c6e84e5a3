package io.tokenrouter.provider;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Copies a heap buffer made of pieces (an edited request: ranges of the client's body and the
 * parts written again, {@link RequestBodies#of(java.util.List)}) into the direct buffer the
 * upstream's socket is written from, piece by piece. Netty's epoll transport makes that copy
 * itself for any heap buffer, but its allocator reads the source through {@code nioBuffer()},
 * which for a buffer of several pieces first joins them into one more heap array of the body's
 * size; here each piece is copied once, straight to the direct memory. Placed first in the
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
    int length = buf.readableBytes();
    ByteBuf direct = ctx.alloc().directBuffer(length);
    try {
      buf.getBytes(buf.readerIndex(), direct, length);
    } catch (RuntimeException e) {
      direct.release();
      throw e;
    } finally {
      buf.release();
    }
    ctx.write(direct, promise);
  }
}
