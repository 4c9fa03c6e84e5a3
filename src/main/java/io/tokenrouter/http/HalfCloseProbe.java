package io.tokenrouter.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;

/**
 * Tells a client that half-closed its connection after sending a request (it still wants the
 * answer) from one that went away (the upstream call must stop). Both arrive as the same FIN, so
 * the connection is kept open on it, and a request still waiting for its answer is probed with
 * interim {@code 100 Continue} responses, which HTTP/1.1 clients must accept before the final
 * one: a client that is gone answers the probe with a reset, which closes the connection and so
 * cancels the call; a half-closed one gets its answer.
 *
 * <p>Reaches under Vert.x for the Netty channel: Vert.x offers no half-close option.
 */
final class HalfCloseProbe extends ChannelInboundHandlerAdapter {
  private static final AttributeKey<HttpServerResponse> WAITING = AttributeKey.valueOf("tokenrouter.waiting");
  /** The second probe meets the reset the first one provoked, if the client is gone. */
  private static final long SECOND_PROBE_MS = 200;

  /** Keeps an accepted connection open on the client's FIN, and watches it. */
  static void install(ChannelPipeline pipeline) {
    pipeline.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    pipeline.addBefore("handler", "tokenrouterHalfClose", new HalfCloseProbe());
  }

  /** Marks the request of {@code ctx} as waiting for its answer until the response ends. */
  static void waiting(RoutingContext ctx) {
    if (ctx.request().connection() instanceof ConnectionBase base) {
      Channel channel = base.channel();
      channel.attr(WAITING).set(ctx.response());
      ctx.addEndHandler(v -> channel.attr(WAITING).compareAndSet(ctx.response(), null));
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof ChannelInputShutdownEvent) {
      HttpServerResponse waiting = ctx.channel().attr(WAITING).get();
      if (waiting == null) {
        ctx.close();
      } else {
        probe(waiting);
        ctx.executor().schedule(() -> probe(waiting), SECOND_PROBE_MS, TimeUnit.MILLISECONDS);
      }
    }
    super.userEventTriggered(ctx, event);
  }

  private static void probe(HttpServerResponse response) {
    if (!response.headWritten() && !response.closed() && !response.ended()) {
      response.writeContinue();
    }
  }
}
