package io.tokenrouter.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.provider.UpstreamException;

/** Anthropic's {@code error} stream event, as the client is told of it. */
final class AnthropicErrors {
  private AnthropicErrors() {}

  /** An {@code error} event in the middle of a stream (overloaded_error, api_error...). */
  static UpstreamException midStream(String provider, JsonNode event) {
    JsonNode error = event.path("error");
    String type = error.path("type").asText("error");
    String message = error.path("message").asText("stream error");
    return new UpstreamException(UpstreamException.Kind.STREAM_ERROR, 502, "upstream_error",
        "upstream_stream_error", "Provider '" + provider + "' failed mid-stream: " + type + ": " + message);
  }
}
