package io.tokenrouter.api.openai;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.tokenrouter.api.ErrorReply;
import io.tokenrouter.reply.GatewayError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * Errors in OpenAI's shape, {@code {"error":{"message","type","param","code"}}}, with the status
 * OpenAI uses for the same condition. Every OpenAI-format API of the gateway (and its own
 * routes: health, admin, unknown URLs) answers errors this way.
 */
public final class OpenAiErrors {
  private OpenAiErrors() {}

  public static ErrorReply render(GatewayError e) {
    // OpenAI has no 529: its clients know overload as 503
    int status = e.status() == 529 ? 503 : e.status();
    return new ErrorReply(status, body(e.getMessage(), type(e), e.param(), e.code()));
  }

  /** OpenAI's error type for a kind of failure. */
  static String type(GatewayError e) {
    return switch (e.kind()) {
      case INVALID_REQUEST, AUTHENTICATION, PERMISSION, NOT_FOUND, REQUEST_TOO_LARGE -> "invalid_request_error";
      case RATE_LIMITED -> "rate_limit_error";
      case QUOTA_EXCEEDED -> "insufficient_quota";
      case UNAVAILABLE, INTERNAL -> "server_error";
      case UPSTREAM_OVERLOADED, UPSTREAM_UNREACHABLE, UPSTREAM_TIMEOUT, UPSTREAM_BAD_RESPONSE, UPSTREAM_AUTH,
          UPSTREAM_ERROR -> "upstream_error";
    };
  }

  public static Buffer body(String message, String type, String param, String code) {
    StringBuilder sb = new StringBuilder(96 + message.length());
    sb.append("{\"error\":{\"message\":");
    quote(sb, message);
    sb.append(",\"type\":");
    quote(sb, type);
    sb.append(",\"param\":");
    quote(sb, param);
    sb.append(",\"code\":");
    quote(sb, code);
    sb.append("}}");
    return Buffer.buffer(sb.toString());
  }

  /** Answers with this error, unless an answer was already started. */
  public static void send(HttpServerResponse response, int status, String message, String type, String param,
      String code) {
    if (response.headWritten() || response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body(message, type, param, code));
  }

  private static void quote(StringBuilder sb, String value) {
    if (value == null) {
      sb.append("null");
      return;
    }
    sb.append('"');
    JsonStringEncoder.getInstance().quoteAsString(value, sb);
    sb.append('"');
  }
}
