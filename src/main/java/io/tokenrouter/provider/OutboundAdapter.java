package io.tokenrouter.provider;

import io.tokenrouter.envelope.Operation;
import io.tokenrouter.reply.Reply;
import io.vertx.core.Future;
import java.util.List;

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

  /**
   * The provider's own model list, asked of it with {@code apiKey}; fails when it cannot be had,
   * and is empty for a provider that has no list.
   */
  default Future<List<String>> models(String apiKey) {
    return Future.succeededFuture(List.of());
  }

  /** Whether {@link #models} asks the provider (and so can tell whether it is up). */
  default boolean listsModels() {
    return false;
  }

  /** Releases pooled connections once the exchanges in flight are over. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
