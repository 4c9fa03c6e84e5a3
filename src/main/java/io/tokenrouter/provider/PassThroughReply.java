package io.tokenrouter.provider;

import io.tokenrouter.reply.Reply;
import io.tokenrouter.reply.ReplyEvent;
import io.tokenrouter.reply.ReplySink;

/**
 * An answer relayed as it arrives (a custom route's event stream or audio): the head, then each
 * piece of the body as one {@link ReplyEvent.Raw}, never the whole body in memory.
 */
final class PassThroughReply implements Reply {
  private final UpstreamExchange exchange;
  private final ReplyEvent.Head head;

  PassThroughReply(UpstreamExchange exchange, ReplyEvent.Head head) {
    this.exchange = exchange;
    this.head = head;
  }

  @Override
  public void start(ReplySink sink) {
    sink.event(head);
    exchange.stream(chunk -> sink.event(new ReplyEvent.Raw(null, chunk.getBytes(), false, null)), sink::end);
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
