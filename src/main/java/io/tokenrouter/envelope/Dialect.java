package io.tokenrouter.envelope;

/**
 * A client API's wire format. A request remembers the one it arrived in so that a provider
 * speaking the same format can be given the client's own bytes, and its answer relayed as is.
 */
public enum Dialect {
  /** OpenAI {@code POST /v1/chat/completions}. */
  OPENAI_CHAT,
  /** Anthropic {@code POST /v1/messages}. */
  ANTHROPIC_MESSAGES
}
