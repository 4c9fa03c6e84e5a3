package io.tokenrouter.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.provider.UpstreamException;
import io.vertx.core.buffer.Buffer;

/**
 * Turns an error status from an OpenAI-compatible upstream into what the client is told.
 * The client's own mistakes (400, 404, 413, 422) keep their status and message; the provider's
 * credential problems become 502 (the client's key is fine, ours is not); 429 stays 429; the
 * rest is a 502.
 */
final class OpenAiErrors {
  private OpenAiErrors() {}

  static UpstreamException fromStatus(String provider, int status, Buffer body) {
    String message = upstreamMessage(body);
    return switch (status) {
      case 400, 404, 413, 422 -> new UpstreamException(UpstreamException.Kind.STATUS, status == 422 ? 400 : status,
          "invalid_request_error", "upstream_rejected", message);
      case 401, 403 -> new UpstreamException(UpstreamException.Kind.STATUS, 502, "upstream_error",
          "upstream_auth_failed", "Provider '" + provider + "' refused the gateway's credentials");
      case 429 -> new UpstreamException(UpstreamException.Kind.STATUS, 429, "rate_limit_error",
          "upstream_rate_limited", "Provider '" + provider + "' is rate limiting: " + message);
      default -> new UpstreamException(UpstreamException.Kind.STATUS, 502, "upstream_error",
          "upstream_status_" + status, "Provider '" + provider + "' answered " + status + ": " + message);
    };
  }

  static String upstreamMessage(Buffer body) {
    try {
      JsonNode root = Json.MAPPER.readTree(body.getBytes());
      JsonNode message = root.path("error").path("message");
      if (message.isTextual()) {
        return message.asText();
      }
    } catch (Exception e) {
      // not JSON: fall through to the raw text below
    }
    String text = body.toString();
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
