package io.tokenrouter.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.provider.UpstreamException;
import io.vertx.core.buffer.Buffer;

/**
 * Turns Anthropic's errors ({@code {"type":"error","error":{"type","message"}}}) into what the
 * client is told. The client's own mistakes keep their status; the gateway's credentials being
 * refused is our fault, not the client's, so it becomes a 502; 429 stays 429 so clients back
 * off; overload (529) and every other status become a 502.
 */
final class AnthropicErrors {
  private AnthropicErrors() {}

  static UpstreamException fromStatus(String provider, int status, Buffer body) {
    JsonNode error = errorNode(body);
    String message = message(error, body);
    return switch (status) {
      case 400, 404, 413 -> new UpstreamException(UpstreamException.Kind.STATUS, status, "invalid_request_error",
          "upstream_rejected", message);
      case 401, 403 -> new UpstreamException(UpstreamException.Kind.STATUS, 502, "upstream_error",
          "upstream_auth_failed", "Provider '" + provider + "' refused the gateway's credentials");
      case 429 -> new UpstreamException(UpstreamException.Kind.STATUS, 429, "rate_limit_error",
          "upstream_rate_limited", "Provider '" + provider + "' is rate limiting: " + message);
      case 529 -> new UpstreamException(UpstreamException.Kind.STATUS, 502, "upstream_error",
          "upstream_overloaded", "Provider '" + provider + "' is overloaded: " + message);
      default -> new UpstreamException(UpstreamException.Kind.STATUS, 502, "upstream_error",
          "upstream_status_" + status, "Provider '" + provider + "' answered " + status + ": " + message);
    };
  }

  /** An {@code error} event in the middle of a stream (overloaded_error, api_error...). */
  static UpstreamException midStream(String provider, JsonNode event) {
    JsonNode error = event.path("error");
    String type = error.path("type").asText("error");
    String message = error.path("message").asText("stream error");
    return new UpstreamException(UpstreamException.Kind.STREAM_ERROR, 502, "upstream_error",
        "upstream_stream_error", "Provider '" + provider + "' failed mid-stream: " + type + ": " + message);
  }

  private static JsonNode errorNode(Buffer body) {
    try {
      return Json.MAPPER.readTree(body.getBytes()).path("error");
    } catch (Exception e) {
      // not JSON (a proxy's HTML page): the raw text is used instead
      return null;
    }
  }

  private static String message(JsonNode error, Buffer body) {
    if (error != null && error.path("message").isTextual()) {
      return error.path("message").asText();
    }
    String text = body.toString();
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
