package io.tokenrouter.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Flushes what was written before a connection closes. When a request body's framing breaks
 * (a malformed chunk), Vert.x fails the request, the gateway writes its 400, and Vert.x closes
 * the channel in the same read, before the end-of-read flush: without this the 400 is dropped
 * and the client sees only a closed connection.
 */
@ChannelHandler.Sharable
final class FlushBeforeClose extends ChannelOutboundHandlerAdapter {
  static final FlushBeforeClose INSTANCE = new FlushBeforeClose();

  private FlushBeforeClose() {}

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.flush();
    ctx.close(promise);
  }
}
