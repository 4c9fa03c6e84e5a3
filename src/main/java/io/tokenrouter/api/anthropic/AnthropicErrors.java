package io.tokenrouter.api.anthropic;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.tokenrouter.api.ErrorReply;
import io.tokenrouter.reply.GatewayError;
import io.vertx.core.buffer.Buffer;

/**
 * Errors in Anthropic's shape, {@code {"type":"error","error":{"type","message"}}}, with the
 * status Anthropic uses: an overloaded provider keeps its 529, which Anthropic's clients retry.
 */
final class AnthropicErrors {
  private AnthropicErrors() {}

  static ErrorReply render(GatewayError e) {
    return new ErrorReply(e.status(), body(e));
  }

  /** The error object alone, also the data of a stream's {@code error} event. */
  static Buffer body(GatewayError e) {
    StringBuilder sb = new StringBuilder(64 + e.getMessage().length());
    sb.append("{\"type\":\"error\",\"error\":{\"type\":\"").append(type(e)).append("\",\"message\":\"");
    JsonStringEncoder.getInstance().quoteAsString(e.getMessage(), sb);
    sb.append("\"}}");
    return Buffer.buffer(sb.toString());
  }

  static String type(GatewayError e) {
    return switch (e.kind()) {
      case INVALID_REQUEST -> "invalid_request_error";
      case AUTHENTICATION -> "authentication_error";
      case PERMISSION -> "permission_error";
      case NOT_FOUND -> "not_found_error";
      case REQUEST_TOO_LARGE -> "request_too_large";
      case RATE_LIMITED, QUOTA_EXCEEDED -> "rate_limit_error";
      case UPSTREAM_OVERLOADED -> "overloaded_error";
      case UPSTREAM_TIMEOUT -> "timeout_error";
      case UNAVAILABLE, UPSTREAM_UNREACHABLE, UPSTREAM_BAD_RESPONSE, UPSTREAM_AUTH, UPSTREAM_ERROR, INTERNAL ->
          "api_error";
    };
  }
}
