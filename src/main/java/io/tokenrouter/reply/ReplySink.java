package io.tokenrouter.reply;

/** Receives a reply's events in order, on the exchange's event loop. */
public interface ReplySink {
  void event(ReplyEvent event);

  /** The reply ended: completely ({@code error} null), or broken off by {@code error}. Called once. */
  void end(GatewayError error);
}
