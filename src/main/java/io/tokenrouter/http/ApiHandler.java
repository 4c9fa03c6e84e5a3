package io.tokenrouter.http;

import io.tokenrouter.api.ClientReply;
import io.tokenrouter.api.ErrorReply;
import io.tokenrouter.api.InboundAdapter;
import io.tokenrouter.call.Call;
import io.tokenrouter.call.CallChain;
import io.tokenrouter.call.CallListener;
import io.tokenrouter.call.Outcome;
import io.tokenrouter.reply.GatewayError;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one client API on the one request path: makes the {@link Call}, runs the chain, and
 * relays the reply through the API's writer, or writes the error in the API's shape. A client
 * that goes away cancels whatever is still running for it, stream or not.
 */
final class ApiHandler implements Handler<RoutingContext> {
  private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
  private static final byte[] EMPTY = new byte[0];
  private final InboundAdapter api;
  private final String path;
  private final CallChain chain;
  private final CallListener listener;

  /** @param path the API's canonical path, whichever alias the route is mounted at */
  ApiHandler(InboundAdapter api, String path, CallChain chain, CallListener listener) {
    this.api = api;
    this.path = path;
    this.chain = chain;
    this.listener = listener;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    byte[] body = api.streamsBody() ? EMPTY : RequestBodyReader.of(ctx);
    Call call = new Call(RequestIds.of(ctx), path, request.method(), request.uri(), request.headers(),
        api.credential(request.headers()), body, api, listener);
    if (api.streamsBody()) {
      // held until an attempt pipes it to the provider: nothing may arrive before that
      request.pause();
      call.bodyStream(request, request::bytesRead);
    }
    HttpServerResponse response = ctx.response();
    // after the probe's end handler: Vert.x Web's end handlers take the response's close handler too
    HalfCloseProbe.waiting(ctx);
    response.closeHandler(v -> call.cancellation().cancel());
    chain.run(call).onComplete(ar -> {
      if (ar.succeeded()) {
        ClientReply reply = api.reply(call, response);
        new ReplyRelay(call, ar.result(), reply, response).start();
      } else {
        if (api.streamsBody() && !request.isEnded()) {
          // refused without reading the upload: the connection cannot carry another request after it
          response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        fail(call, response, ar.cause());
      }
    });
  }

  private void fail(Call call, HttpServerResponse response, Throwable cause) {
    GatewayError error;
    if (cause instanceof GatewayError e) {
      error = e;
    } else {
      log.error("request {} failed", call.id(), cause);
      error = GatewayError.of(GatewayError.Kind.INTERNAL, 500, "internal_error",
          "The gateway failed to handle this request.");
    }
    if (response.closed() || response.headWritten()) {
      call.finish(Outcome.CLIENT_CLOSED, error);
      return;
    }
    ErrorReply reply = api.render(error);
    if (call.hasResponseHeaders()) {
      response.headers().addAll(call.responseHeaders());
    }
    for (Map.Entry<String, String> h : error.headers().entrySet()) {
      response.putHeader(h.getKey(), h.getValue());
    }
    if (error.retryAfter() != null) {
      response.putHeader(HttpHeaders.RETRY_AFTER, error.retryAfter());
    }
    call.finish(reply.status(), error);
    response.setStatusCode(reply.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(reply.body());
  }
}
