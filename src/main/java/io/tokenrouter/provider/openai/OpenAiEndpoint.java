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

  /** Adds the headers that carry {@code key}. */
  void authorize(MultiMap headers, String key);

  /** The path of the provider's model list ({@code {"data":[{"id":...}]}}), or null when it has none to offer. */
  String modelsPath();
}
