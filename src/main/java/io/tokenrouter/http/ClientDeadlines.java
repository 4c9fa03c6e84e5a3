package io.tokenrouter.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.tokenrouter.api.openai.OpenAiErrors;
import io.tokenrouter.config.ServerConfig;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Deadlines on what a client sends over one HTTP/1.1 connection:
 * <ul>
 *   <li>head: a request's line and headers must be complete within {@code header_timeout} of its
 *       first byte (a new connection that sends nothing is closed after as long, silently);</li>
 *   <li>body: while a request body arrives, a pause longer than {@code body_timeout} ends it;</li>
 *   <li>idle: a kept-alive connection without a request under way closes after
 *       {@code idle_timeout}.</li>
 * </ul>
 * An expired head or body gets 408 in OpenAI's error shape when nothing of a response has been
 * written yet, then the connection closes. No deadline runs while the gateway answers: a stream
 * that waits minutes on its upstream is bounded by the provider's timeouts, never cut because the
 * client is quiet. Vert.x's idle timeouts cannot express this: they count the whole connection's
 * reads (which would cut every long answer) or reads and writes (which a slowloris keeps alive
 * with a byte now and then, and a slow upstream trips), whatever state the request is in.
 *
 * <p>Two Netty handlers share the state: the wire handler, first in the pipeline, sees raw bytes
 * (a new request's first byte) and writes the 408 below the HTTP encoder; the message handler,
 * next to Vert.x's, sees decoded requests and the responses Vert.x writes. Everything runs on the
 * connection's event loop.
 */
final class ClientDeadlines {
  private enum Phase { IDLE, HEAD, BODY, ANSWERING }

  private final long headerNanos;
  private final long bodyNanos;
  private final long idleNanos;
  private final Duration headerTimeout;
  private final Duration bodyTimeout;
  private final ClientFaults faults;
  private final Channel channel;
  private ChannelHandlerContext wire;
  private Phase phase;
  /** When the phase's clock started: IDLE and HEAD when entered, BODY at the last body bytes. */
  private long since;
  private long limit;
  /** Requests whose response has not been written to its end (more than one when pipelined). */
  private int unanswered;
  /** Whether the oldest unanswered request's response has begun. */
  private boolean answerStarted;
  /** Bytes came while answering: the next request's head has begun. */
  private boolean nextHeadBegun;
  private ScheduledFuture<?> timer;
  private long timerAt;

  private ClientDeadlines(ServerConfig config, ClientFaults faults, Channel channel) {
    this.headerTimeout = config.headerTimeout();
    this.bodyTimeout = config.bodyTimeout();
    this.headerNanos = headerTimeout.toNanos();
    this.bodyNanos = bodyTimeout.toNanos();
    this.idleNanos = config.idleTimeout().toNanos();
    this.faults = faults;
    this.channel = channel;
  }

  /**
   * Puts the deadlines on the pipeline of a connection Vert.x has just accepted, around Vert.x's
   * own connection handler (named "handler").
   */
  static void install(ChannelPipeline pipeline, ServerConfig config, ClientFaults faults) {
    ClientDeadlines deadlines = new ClientDeadlines(config, faults, pipeline.channel());
    pipeline.addFirst("tokenrouterClientWire", deadlines.new Wire());
    pipeline.addBefore("handler", "tokenrouterClientMessages", deadlines.new Messages());
    deadlines.enter(Phase.IDLE, deadlines.headerNanos);
  }

  private void bytesArrived() {
    if (phase == Phase.IDLE) {
      enter(Phase.HEAD, headerNanos);
    } else if (phase == Phase.ANSWERING) {
      nextHeadBegun = true;
    }
  }

  private void requestHead() {
    unanswered++;
    nextHeadBegun = false;
    enter(Phase.BODY, bodyNanos);
  }

  private void requestEnded() {
    if (unanswered == 0) {
      enter(Phase.IDLE, idleNanos);
    } else {
      phase = Phase.ANSWERING;
    }
  }

  private void responseEnded() {
    unanswered = Math.max(0, unanswered - 1);
    answerStarted = false;
    if (unanswered == 0 && phase == Phase.ANSWERING) {
      if (nextHeadBegun) {
        enter(Phase.HEAD, headerNanos);
      } else {
        enter(Phase.IDLE, idleNanos);
      }
    }
  }

  private void enter(Phase next, long limitNanos) {
    phase = next;
    limit = limitNanos;
    since = System.nanoTime();
    arm(since + limitNanos);
  }

  private void arm(long deadline) {
    if (timer != null) {
      if (timerAt - deadline <= 0) {
        return;
      }
      timer.cancel(false);
    }
    timerAt = deadline;
    timer = channel.eventLoop().schedule(this::expire, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  private void expire() {
    timer = null;
    if (!channel.isActive() || phase == Phase.ANSWERING) {
      return;
    }
    long now = System.nanoTime();
    if (phase == Phase.BODY && !channel.config().isAutoRead()) {
      // Vert.x stopped reading (the gateway is busy with an earlier request): the wait is ours.
      since = now;
    }
    long deadline = since + limit;
    if (now - deadline < 0) {
      arm(deadline);
      return;
    }
    switch (phase) {
      case IDLE -> channel.close();
      case HEAD -> {
        faults.report(ClientFaults.Kind.HEADER_TIMEOUT, channel.remoteAddress(),
            "request line and headers not complete after " + human(headerTimeout));
        timeOut("The request line and headers did not arrive within " + human(headerTimeout) + ".");
      }
      default -> {
        faults.report(ClientFaults.Kind.BODY_TIMEOUT, channel.remoteAddress(),
            "no request body bytes for " + human(bodyTimeout));
        if (unanswered == 1 && !answerStarted) {
          timeOut("The request body stalled: no bytes arrived for " + human(bodyTimeout) + ".");
        } else {
          channel.close();
        }
      }
    }
  }

  private void timeOut(String message) {
    Buffer body = OpenAiErrors.body(message, "invalid_request_error", null, "request_timeout");
    String head = "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\ncontent-length: " + body.length()
        + "\r\nconnection: close\r\n\r\n";
    wire.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body.getBytes()))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private static String human(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  /** Raw bytes, before the HTTP decoder. */
  private final class Wire extends ChannelInboundHandlerAdapter {
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      wire = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      bytesArrived();
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
      ctx.fireChannelInactive();
    }
  }

  /** Decoded requests in, responses out, next to Vert.x's connection handler. */
  private final class Messages extends ChannelDuplexHandler {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest) {
        requestHead();
      }
      if (msg instanceof HttpContent && phase == Phase.BODY) {
        since = System.nanoTime();
      }
      if (msg instanceof LastHttpContent) {
        requestEnded();
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      boolean interim = msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
      if (!interim) {
        if (msg instanceof HttpResponse) {
          answerStarted = true;
        }
        if (msg instanceof LastHttpContent) {
          responseEnded();
        }
      }
      ctx.write(msg, promise);
    }
  }
}
