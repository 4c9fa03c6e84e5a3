package io.tokenrouter.reply;

import java.util.List;

/**
 * A reply whose events are all known already (a whole answer that was read and decoded, a
 * mock's answer): they are delivered at once when started.
 */
public final class BufferedReply implements Reply {
  private final List<ReplyEvent> events;

  public BufferedReply(List<ReplyEvent> events) {
    this.events = List.copyOf(events);
  }

  /** The answer's events, in order: the same for every start, so one answer can be replayed to several clients. */
  public List<ReplyEvent> events() {
    return events;
  }

  @Override
  public void start(ReplySink sink) {
    for (ReplyEvent event : events) {
      sink.event(event);
    }
    sink.end(null);
  }

  @Override
  public void pause() {
  }

  @Override
  public void resume() {
  }

  @Override
  public void cancel() {
  }
}
