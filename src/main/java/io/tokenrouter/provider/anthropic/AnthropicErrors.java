package io.tokenrouter.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.GatewayError.Kind;

/** Anthropic's {@code error} stream event, as the client is told of it. */
final class AnthropicErrors {
  private AnthropicErrors() {}

  /** An {@code error} event in the middle of a stream ({@code overloaded_error}, {@code api_error}...). */
  static GatewayError midStream(String provider, JsonNode event) {
    JsonNode error = event.path("error");
    String type = error.path("type").asText("error");
    String message = "Provider '" + provider + "' failed mid-stream: " + type + ": "
        + error.path("message").asText("stream error");
    return switch (type) {
      case "overloaded_error" -> GatewayError.builder(Kind.UPSTREAM_OVERLOADED, 529, "upstream_overloaded", message)
          .provider(provider).build();
      case "rate_limit_error" -> GatewayError.builder(Kind.RATE_LIMITED, 429, "upstream_rate_limited", message)
          .provider(provider).build();
      default -> GatewayError.builder(Kind.UPSTREAM_ERROR, 502, "upstream_stream_error", message)
          .provider(provider).build();
    };
  }
}
