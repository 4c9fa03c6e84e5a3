package io.tokenrouter.reply;

/**
 * An upstream answer whose head has arrived and was accepted: nothing of it has reached the
 * client yet, so the caller may still drop it and try elsewhere. Its events flow once
 * {@link #start} is called, on the event loop of the exchange; pause, resume and cancel are
 * called on that loop too.
 */
public interface Reply {
  /** Starts the flow of events to {@code sink}; exactly one {@link ReplySink#end} follows. */
  void start(ReplySink sink);

  /** Stops reading from the provider until {@link #resume} (the client's socket is full). */
  void pause();

  void resume();

  /** Abandons the answer and closes the upstream request; the sink's end still follows. */
  void cancel();
}
