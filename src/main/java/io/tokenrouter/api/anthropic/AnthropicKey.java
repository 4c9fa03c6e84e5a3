package io.tokenrouter.api.anthropic;

import io.tokenrouter.api.openai.BearerToken;
import io.vertx.core.MultiMap;

/** The key of an Anthropic-format request: {@code x-api-key}, as Anthropic's SDKs send it, or a bearer token. */
final class AnthropicKey {
  private AnthropicKey() {}

  static String of(MultiMap headers) {
    String key = headers.get("x-api-key");
    if (key != null && !key.isBlank()) {
      return key.strip();
    }
    return BearerToken.of(headers);
  }
}
