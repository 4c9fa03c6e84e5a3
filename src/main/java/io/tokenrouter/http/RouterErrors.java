package io.tokenrouter.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.tokenrouter.api.ErrorReply;
import io.tokenrouter.api.openai.OpenAiErrors;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.GatewayError.Kind;
import io.vertx.core.Handler;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every failure the router raises or a handler leaves to it, in OpenAI's error shape, or
 * on an API's own routes in that API's shape (an Anthropic client must not get OpenAI's):
 * no route (404), wrong method (405), a body over the limit (413), a URL that cannot be decoded
 * or a missing Host (400), a body whose framing breaks while it is read, and the gateway's own
 * bugs (5xx, the only ones logged at ERROR). It is registered for every status a failure can
 * carry, because a status without a handler falls through to Vert.x Web's default: a plain-text
 * body and an ERROR line with a stack trace, which a client could then trigger at will.
 */
final class RouterErrors {
  private static final Logger log = LoggerFactory.getLogger(RouterErrors.class);
  private static final int MAX_PATH_IN_MESSAGE = 200;
  private final long maxBodyBytes;
  private final ClientFaults faults;

  RouterErrors(long maxBodyBytes, ClientFaults faults) {
    this.maxBodyBytes = maxBodyBytes;
    this.faults = faults;
  }

  void install(Router router) {
    // A body handler (Vert.x Web's for the admin API, RequestBodyReader for the model APIs) fails with
    // status 200 when the connection fails under it: a malformed chunk, a reset.
    router.errorHandler(200, ctx -> bodyUnreadable(ctx, OpenAiErrors::render));
    for (int status = 400; status < 600; status++) {
      int s = status;
      router.errorHandler(s, ctx -> answer(ctx, s, OpenAiErrors::render));
    }
  }

  /** The failure handler of an API's route: the same answers, in {@code shape}. */
  Handler<RoutingContext> forApi(Function<GatewayError, ErrorReply> shape) {
    return ctx -> {
      int status = ctx.statusCode();
      if (status == 200 || status < 400) {
        bodyUnreadable(ctx, shape);
      } else {
        answer(ctx, status, shape);
      }
    };
  }

  private void answer(RoutingContext ctx, int status, Function<GatewayError, ErrorReply> shape) {
    HttpServerRequest request = ctx.request();
    switch (status) {
      case 400 -> badRequest(ctx, shape);
      case 404 -> send(ctx, shape, Kind.NOT_FOUND, 404,
          "Unknown request URL: " + request.method() + " " + shortPath(request) + ".", "unknown_url");
      case 405 -> send(ctx, shape, Kind.INVALID_REQUEST, 405,
          "Method " + request.method() + " is not allowed on " + shortPath(request) + ".", "method_not_allowed");
      case 413 -> send(ctx, shape, Kind.REQUEST_TOO_LARGE, 413,
          "Request body is larger than the " + maxBodyBytes + " bytes this gateway accepts.", "request_too_large");
      case 417 -> send(ctx, shape, Kind.INVALID_REQUEST, 417,
          "The gateway supports no expectation but 'Expect: 100-continue'.", "expectation_failed");
      default -> {
        if (status >= 500) {
          log.error("unhandled error on {} {}", request.method(), shortPath(request), ctx.failure());
          send(ctx, shape, Kind.INTERNAL, status, "The gateway failed to handle this request.", "internal_error");
        } else {
          send(ctx, shape, Kind.INVALID_REQUEST, status, "The request was refused: " + status + " "
              + HttpResponseStatus.valueOf(status).reasonPhrase() + ".", "invalid_request");
        }
      }
    }
  }

  private void badRequest(RoutingContext ctx, Function<GatewayError, ErrorReply> shape) {
    Throwable failure = ctx.failure();
    if (failure == null) {
      // Matching the routes decodes the path; Vert.x Web calls this without a failure when that throws.
      faults.report(ClientFaults.Kind.MALFORMED_URL, ctx.request().remoteAddress(), ctx.request().path());
      send(ctx, shape, Kind.INVALID_REQUEST, 400, "The request URL is malformed: a '%' must be followed by two"
          + " hexadecimal digits, and the decoded path must be UTF-8.", "invalid_url");
    } else if (failure instanceof VertxException) {
      // Vert.x Web's own checks (a missing Host header, an empty path) say what is wrong in plain words.
      send(ctx, shape, Kind.INVALID_REQUEST, 400, "The request is malformed: " + failure.getMessage() + ".",
          "malformed_request");
    } else {
      faults.report(ClientFaults.Kind.MALFORMED_BODY, ctx.request().remoteAddress(), failure.getMessage());
      send(ctx, shape, Kind.INVALID_REQUEST, 400, "The request body could not be decoded.", "malformed_body");
    }
  }

  private void bodyUnreadable(RoutingContext ctx, Function<GatewayError, ErrorReply> shape) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpClosedException || failure instanceof IOException || ctx.response().headWritten()
        || ctx.response().closed()) {
      return;
    }
    faults.report(ClientFaults.Kind.MALFORMED_BODY, ctx.request().remoteAddress(),
        failure == null ? null : failure.getMessage());
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    send(ctx, shape, Kind.INVALID_REQUEST, 400,
        "The request body could not be read: its chunked encoding or its length is malformed.", "malformed_body");
  }

  private static void send(RoutingContext ctx, Function<GatewayError, ErrorReply> shape, Kind kind, int status,
      String message, String code) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten() || response.ended() || response.closed()) {
      return;
    }
    ErrorReply reply = shape.apply(GatewayError.of(kind, status, code, message));
    response.setStatusCode(reply.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(reply.body());
  }

  private static String shortPath(HttpServerRequest request) {
    String path = request.path();
    return path == null || path.length() <= MAX_PATH_IN_MESSAGE ? path : path.substring(0, MAX_PATH_IN_MESSAGE) + "...";
  }
}
