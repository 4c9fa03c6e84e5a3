package io.tokenrouter.provider;

/** Flow control over a running stream, used by the relay for backpressure and aborts. */
public interface StreamHandle {
  void pause();

  void resume();

  /** Stops the upstream request (closing its connection); the sink's onEnd still follows. */
  void cancel();
}
