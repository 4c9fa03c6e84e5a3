package io.tokenrouter.api;

import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.ReplyEvent;

/**
 * Writes one call's answer in the client's wire format, as events arrive: a streamed answer
 * event by event (each flushed as it comes), a whole answer at its end. Events in the client's
 * own format ({@link ReplyEvent.Raw}) are written as they are.
 */
public interface ClientReply {
  /** The provider accepted the request: a stream sends its head now. */
  void begin();

  void event(ReplyEvent event);

  /** The answer is over: complete when {@code error} is null, else ended in this API's way of saying so. */
  void end(GatewayError error);

  /** Whether the client's socket is full; the relay then pauses the provider until {@link #drain}. */
  boolean writeQueueFull();

  void drain(Runnable then);
}
