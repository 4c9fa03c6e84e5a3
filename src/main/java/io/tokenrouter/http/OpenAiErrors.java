package io.tokenrouter.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * Error answers in OpenAI's shape: {@code {"error":{"message","type","param","code"}}}, with
 * the status OpenAI uses for the same condition.
 */
final class OpenAiErrors {
  private OpenAiErrors() {}

  static Buffer body(String message, String type, String param, String code) {
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

  static void send(HttpServerResponse response, int status, String message, String type, String param, String code) {
    if (response.headWritten() || response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
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
