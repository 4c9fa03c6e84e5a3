package io.tokenrouter.provider;

import io.tokenrouter.envelope.Operation;
import io.tokenrouter.reply.Reply;
import io.vertx.core.Future;

/**
 * One configured provider, in its own wire format. It writes the neutral request for the
 * provider and decodes the answer into neutral reply events, or relays the provider's bytes
 * when the client speaks the provider's own format.
 *
 * <p>Runs on the caller's event loop and never blocks.
 */
public interface OutboundAdapter {
  /**
   * Sends one attempt. Completes when the answer can be relayed: for a stream once the provider
   * accepted it (a success head), for a whole answer once its body arrived and could be read.
   * Fails with a {@link io.tokenrouter.reply.GatewayError} otherwise, before anything reached
   * the client.
   */
  Future<Reply> send(UpstreamRequest request);

  /** Whether this provider can do {@code operation} itself. */
  default boolean supports(Operation operation) {
    return operation == Operation.GENERATE;
  }

  /** Releases pooled connections. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
