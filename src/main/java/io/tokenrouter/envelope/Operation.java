package io.tokenrouter.envelope;

/** What the client wants done with the request. */
public enum Operation {
  /** Generate an answer. */
  GENERATE,
  /** Only count the prompt's input tokens (Anthropic's {@code count_tokens}). */
  COUNT_TOKENS
}
