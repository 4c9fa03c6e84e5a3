package io.tokenrouter.envelope;

/**
 * A client API's wire format. A request remembers the one it arrived in so that a provider
 * speaking the same format can be given the client's own bytes, and its answer relayed as is.
 */
public enum Dialect {
  /** OpenAI {@code POST /v1/chat/completions}. */
  OPENAI_CHAT,
  /** Anthropic {@code POST /v1/messages}. */
  ANTHROPIC_MESSAGES,
  /** OpenAI {@code POST /v1/responses}. */
  OPENAI_RESPONSES,
  /** OpenAI's legacy {@code POST /v1/completions}: one prompt, text out. */
  OPENAI_COMPLETIONS,
  /** OpenAI {@code POST /v1/embeddings}. */
  OPENAI_EMBEDDINGS,
  /** A custom route: the client's bytes already in the provider's own format, relayed as they are. */
  PASS_THROUGH
}
