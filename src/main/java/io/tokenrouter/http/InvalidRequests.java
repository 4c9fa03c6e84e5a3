package io.tokenrouter.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.tokenrouter.api.openai.OpenAiErrors;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers requests whose line or headers could not be decoded (Vert.x's invalid request
 * handler): 414 for an over-long request line, 431 for over-large headers, 400 for anything else
 * malformed, each in OpenAI's error shape, then closes the connection, since nothing after a
 * broken head can be trusted to start the next request. A protocol version other than HTTP/1.x
 * is a 400 too, not HTTP's 505: a 5xx would count a client's mistake among the gateway's
 * failures on every dashboard.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {
  private final int maxRequestLineBytes;
  private final int maxHeaderBytes;
  private final ClientFaults faults;

  InvalidRequests(int maxRequestLineBytes, int maxHeaderBytes, ClientFaults faults) {
    this.maxRequestLineBytes = maxRequestLineBytes;
    this.maxHeaderBytes = maxHeaderBytes;
    this.faults = faults;
  }

  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status;
    String message;
    String code;
    ClientFaults.Kind kind;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      message = "The request line is longer than the " + maxRequestLineBytes + " bytes this gateway accepts.";
      code = "request_line_too_long";
      kind = ClientFaults.Kind.REQUEST_LINE_TOO_LONG;
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      message = "The request headers are larger than the " + maxHeaderBytes + " bytes this gateway accepts.";
      code = "headers_too_large";
      kind = ClientFaults.Kind.HEADERS_TOO_LARGE;
    } else if (cause instanceof HttpVersions.UnsupportedVersionException) {
      status = 400;
      message = "This gateway speaks HTTP/1.1; the request's protocol version is not supported.";
      code = "http_version_not_supported";
      kind = ClientFaults.Kind.MALFORMED_REQUEST;
    } else {
      status = 400;
      message = "The request line or headers are not valid HTTP/1.1.";
      code = "malformed_request";
      kind = ClientFaults.Kind.MALFORMED_REQUEST;
    }
    faults.report(kind, request.remoteAddress(), cause == null ? null : cause.getMessage());
    request.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(OpenAiErrors.body(message, "invalid_request_error", null, code));
    request.connection().close();
  }
}
