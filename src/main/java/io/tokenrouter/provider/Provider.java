package io.tokenrouter.provider;

import io.tokenrouter.envelope.Envelope;
import io.vertx.core.Future;

/**
 * One configured upstream. A provider takes an {@link Envelope} in and gives back OpenAI
 * {@code chat.completion} (or {@code chat.completion.chunk}) JSON plus usage, translating when
 * its wire format differs and relaying the bytes untouched when it does not.
 *
 * <p>Both methods run on the caller's event loop and never block. A failure before the
 * upstream answered (connect error, timeout, error status) fails the future with an
 * {@link UpstreamException}; nothing has been sent to the client yet.
 */
public interface Provider {
  String name();

  /** A non-streamed completion. */
  Future<Completion> complete(Envelope request, String upstreamModel);

  /**
   * A streamed completion. The future completes once the upstream accepted the request; the
   * chunks then flow to {@code sink}, which is told of the end exactly once.
   */
  Future<StreamHandle> stream(Envelope request, String upstreamModel, ChunkSink sink);

  /** Releases pooled connections. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
