package io.tokenrouter.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.envelope.Json;
import io.vertx.core.buffer.Buffer;

/**
 * Turns an error status from a provider into what the client is told. OpenAI, every compatible
 * server and Anthropic all put the reason at {@code error.message}. The client's own mistakes
 * (400, 404, 413, and 422 from compatible servers) keep their status and message; the provider
 * refusing the gateway's credentials is the gateway's fault, not the client's, so it becomes a
 * 502; 429 stays 429 so clients back off; overload (Anthropic's 529) and every other status
 * become a 502.
 */
public final class UpstreamStatus {
  private static final int MAX_RAW_MESSAGE = 300;

  private UpstreamStatus() {}

  public static UpstreamException toException(String provider, int status, Buffer body) {
    String message = message(body);
    return switch (status) {
      case 400, 404, 413, 422 -> new UpstreamException(UpstreamException.Kind.STATUS, status == 422 ? 400 : status,
          "invalid_request_error", "upstream_rejected", message);
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

  private static String message(Buffer body) {
    try {
      JsonNode message = Json.MAPPER.readTree(body.getBytes()).path("error").path("message");
      if (message.isTextual()) {
        return message.asText();
      }
    } catch (Exception notJson) {
      // a proxy's HTML page or plain text: the raw text, shortened, is the best reason there is
    }
    String text = body.toString();
    return text.length() > MAX_RAW_MESSAGE ? text.substring(0, MAX_RAW_MESSAGE) + "..." : text;
  }
}
