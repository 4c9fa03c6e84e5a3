package io.tokenrouter.http;

import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Hands Vert.x a request body of declared length as one part. Netty's decoder passes a body on
 * in parts of at most 8 KB as they arrive, Vert.x copies each into a heap buffer of its own and
 * {@link RequestBodyReader} copies those into one array: for an agent's 300 KB request, 38
 * buffers and two copies of the body. Here the decoder's parts (slices of the connection's read
 * buffers, holding what the client sent and no more) are kept until the body's last, then passed
 * on as one composite, which Vert.x copies once into an array of the body's length: the array the
 * handlers read. The request's head passes at once (an {@code Expect: 100-continue} is answered
 * from it); a body in one part, a chunked body, and one declared past the limit (refused from its
 * head) pass as they came.
 */
final class BodyJoiner extends ChannelInboundHandlerAdapter {
  /** Netty's own aggregator's bound: past it the parts are copied together and joining goes on. */
  private static final int MAX_PARTS = 1024;
  private final long limit;
  private boolean joining;
  private CompositeByteBuf parts;

  private BodyJoiner(long limit) {
    this.limit = limit;
  }

  /** Puts the joiner next to Vert.x's connection handler (named "handler"), after every other. */
  static void install(ChannelPipeline pipeline, long limit) {
    pipeline.addBefore("handler", "tokenrouterBodyJoiner", new BodyJoiner(limit));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request && !(msg instanceof HttpContent)) {
      drop();
      joining = declaredWithin(request);
    } else if (joining && msg instanceof HttpContent content) {
      if (!content.decoderResult().isSuccess()) {
        drop();
      } else if (!(content instanceof LastHttpContent)) {
        if (parts == null) {
          parts = ctx.alloc().compositeBuffer(MAX_PARTS);
        }
        parts.addComponent(true, content.content());
        return;
      } else if (parts != null) {
        parts.addComponent(true, content.content());
        CompositeByteBuf whole = parts;
        parts = null;
        joining = false;
        ctx.fireChannelRead(new DefaultLastHttpContent(whole));
        return;
      }
      joining = false;
    }
    ctx.fireChannelRead(msg);
  }

  private boolean declaredWithin(HttpRequest request) {
    if (request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      return false;
    }
    try {
      long length = HttpUtil.getContentLength(request, -1L);
      return length > 0 && length <= limit;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private void drop() {
    joining = false;
    if (parts != null) {
      parts.release();
      parts = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    drop();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    drop();
  }
}
