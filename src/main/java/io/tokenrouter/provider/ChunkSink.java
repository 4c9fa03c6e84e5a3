package io.tokenrouter.provider;

import io.vertx.core.buffer.Buffer;

/** Receives a stream's chunks on the event loop, in order. */
public interface ChunkSink {
  /**
   * One OpenAI {@code chat.completion.chunk} JSON document (without the {@code data: } framing).
   *
   * @param hasContent whether it carries generated output (text, tool call, refusal), as
   *     opposed to a role-only or usage-only chunk; time to first token is measured on it
   */
  void onChunk(Buffer json, boolean hasContent);

  /**
   * The stream ended. {@code error} is null for a normal end. {@code usage} is the provider's
   * report, or an estimate marked as such when the provider sent none (an aborted stream).
   */
  void onEnd(Usage usage, UpstreamException error);
}
