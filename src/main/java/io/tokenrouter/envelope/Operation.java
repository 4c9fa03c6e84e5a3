package io.tokenrouter.envelope;

/** What the client wants done with the request. */
public enum Operation {
  /** Generate an answer. */
  GENERATE,
  /** Only count the prompt's input tokens (Anthropic's {@code count_tokens}). */
  COUNT_TOKENS,
  /** Embed the input texts (OpenAI's {@code /v1/embeddings}); the texts are the user turn's text blocks. */
  EMBED,
  /**
   * Relay the client's request to the provider as it is (a custom route): the envelope's
   * {@code original} is the body, its headers carry the request line as HTTP/2-style
   * pseudo-headers ({@code :method}, {@code :path}).
   */
  RELAY
}
