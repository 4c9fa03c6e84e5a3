package io.tokenrouter.provider;

import io.tokenrouter.reply.ReplyEvent;
import java.util.function.Consumer;

/**
 * Reads one answer of a provider into {@link ReplyEvent}s: neutral events, or the provider's own
 * bytes as {@link ReplyEvent.Raw} when the client speaks its format, with the usage read from
 * them. Methods throw a {@link io.tokenrouter.reply.GatewayError} when the answer is broken or
 * reports a failure. One per answer, used on one event loop.
 */
public interface ReplyDecoder {
  /** A whole (non-streamed) answer. */
  void body(byte[] body, Consumer<ReplyEvent> out);

  /** One Server-Sent Event of a streamed answer ({@code name} null when it had none). */
  void event(String name, byte[] data, Consumer<ReplyEvent> out);

  /** The stream's bytes ended: throws when the answer was not complete. */
  void end(Consumer<ReplyEvent> out);
}
