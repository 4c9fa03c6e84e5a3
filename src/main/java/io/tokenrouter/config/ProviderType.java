package io.tokenrouter.config;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The wire family a provider speaks. */
public enum ProviderType {
  /** OpenAI and every server that speaks its chat completions API (DeepSeek, vLLM, Ollama...). */
  OPENAI,
  /** Anthropic's Messages API. */
  ANTHROPIC,
  /** Built in, no network: deterministic replies for demos and tests. */
  MOCK;

  @JsonCreator
  public static ProviderType parse(String value) {
    return Choices.parse(ProviderType.class, value);
  }
}
