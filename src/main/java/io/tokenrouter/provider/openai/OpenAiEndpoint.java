package io.tokenrouter.provider.openai;

import io.vertx.core.MultiMap;

/**
 * Where an OpenAI-format server keeps each API and how it takes the gateway's key: OpenAI's own
 * layout ({@code /chat/completions} with a bearer token) or Azure OpenAI's (a deployment in the
 * path, {@code api-version}, an {@code api-key} header).
 */
interface OpenAiEndpoint {
  /**
   * The path of {@code api} ({@code chat/completions}, {@code completions}, {@code embeddings},
   * {@code responses}) for {@code model}, after the provider's base URL.
   */
  String path(String api, String model);

  /** The headers that carry the provider's key. */
  MultiMap credentials();
}
