package io.tokenrouter.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrouter.envelope.Json;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.GatewayError.Kind;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Turns an error status from a provider into what the client is told. OpenAI, every compatible
 * server and Anthropic all put the reason at {@code error.message}. The client's own mistakes
 * (400, 404, 413, and 422 from compatible servers) keep their status and the provider's message;
 * the provider refusing the gateway's credentials is the gateway's fault, not the client's, so
 * it becomes a 502; rate limits and overload keep their status and the provider's
 * {@code Retry-After} as it was sent, so clients back off as the provider asked.
 */
public final class UpstreamStatus {
  private static final int MAX_RAW_MESSAGE = 300;

  private UpstreamStatus() {}

  public static GatewayError toError(String provider, int status, MultiMap headers, Buffer body) {
    String message = message(body);
    GatewayError.Builder error = switch (status) {
      case 400, 422 -> GatewayError.builder(Kind.INVALID_REQUEST, 400, "upstream_rejected", message);
      case 404 -> GatewayError.builder(Kind.NOT_FOUND, 404, "upstream_rejected", message);
      case 413 -> GatewayError.builder(Kind.REQUEST_TOO_LARGE, 413, "upstream_rejected", message);
      case 401, 403 -> GatewayError.builder(Kind.UPSTREAM_AUTH, 502, "upstream_auth_failed",
          "Provider '" + provider + "' refused the gateway's credentials (" + status + "): " + message);
      case 408, 504 -> GatewayError.builder(Kind.UPSTREAM_TIMEOUT, 504, "upstream_timeout",
          "Provider '" + provider + "' timed out (" + status + "): " + message);
      case 429 -> GatewayError.builder(Kind.RATE_LIMITED, 429, "upstream_rate_limited",
          "Provider '" + provider + "' is rate limiting: " + message);
      case 503, 529 -> GatewayError.builder(Kind.UPSTREAM_OVERLOADED, status, "upstream_overloaded",
          "Provider '" + provider + "' is overloaded: " + message);
      default -> GatewayError.builder(Kind.UPSTREAM_ERROR, 502, "upstream_status_" + status,
          "Provider '" + provider + "' answered " + status + ": " + message);
    };
    String retryAfter = headers.get("Retry-After");
    if (retryAfter == null && (status == 429 || status == 503 || status == 529)) {
      // the provider asked for a pause without saying how long: the shortest one
      retryAfter = "1";
    }
    return error.provider(provider).upstreamStatus(status).retryAfter(retryAfter).build();
  }

  private static String message(Buffer body) {
    try {
      JsonNode message = Json.MAPPER.readTree(body.getBytes()).path("error").path("message");
      if (message.isTextual() && !message.asText().isBlank()) {
        return message.asText();
      }
    } catch (Exception notJson) {
      // a proxy's HTML page or plain text: the raw text, shortened, is the best reason there is
    }
    String text = body.toString().strip();
    if (text.isEmpty()) {
      return "(no details in the response body)";
    }
    return text.length() > MAX_RAW_MESSAGE ? text.substring(0, MAX_RAW_MESSAGE) + "..." : text;
  }
}
