package io.tokenrouter.provider;

import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.Reply;
import io.tokenrouter.reply.ReplySink;

/**
 * A streamed answer: Server-Sent Events parsed as the bytes arrive and decoded one by one. A
 * failure the provider reports inside the stream ends it, and closes the connection.
 */
final class StreamReply implements Reply {
  private final UpstreamExchange exchange;
  private final ReplyDecoder decoder;
  private GatewayError failure;

  StreamReply(UpstreamExchange exchange, ReplyDecoder decoder) {
    this.exchange = exchange;
    this.decoder = decoder;
  }

  @Override
  public void start(ReplySink sink) {
    SseParser parser = new SseParser((name, data) -> {
      if (failure != null) {
        return;
      }
      try {
        decoder.event(name, data, sink::event);
      } catch (GatewayError e) {
        failure = e;
        exchange.abort(e);
      }
    });
    exchange.stream(parser::feed, error -> {
      if (error == null) {
        parser.end();
        if (failure == null) {
          try {
            decoder.end(sink::event);
          } catch (GatewayError e) {
            failure = e;
          }
        }
        error = failure;
      }
      sink.end(error);
    });
  }

  @Override
  public void pause() {
    exchange.pause();
  }

  @Override
  public void resume() {
    exchange.resume();
  }

  @Override
  public void cancel() {
    exchange.cancel();
  }
}
