package io.tokenrouter.http;

import io.tokenrouter.auth.Identity;
import io.tokenrouter.billing.PriceBook;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.InvalidRequestException;
import io.tokenrouter.inbound.OpenAiChatReader;
import io.tokenrouter.limit.RateLimitedException;
import io.tokenrouter.limit.RequestLimiter;
import io.tokenrouter.metrics.GatewayMetrics;
import io.tokenrouter.provider.UpstreamException;
import io.tokenrouter.routing.ModelRouter;
import io.tokenrouter.routing.Route;
import io.tokenrouter.usage.UsageRecorder;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/chat/completions}: admission (room for the usage record, a readable body, a
 * known model the key may use, the key's request limits), then the call to the first route,
 * relayed to the client.
 */
final class ChatCompletionsHandler implements Handler<RoutingContext> {
  private static final Logger log = LoggerFactory.getLogger(ChatCompletionsHandler.class);
  private final ModelRouter router;
  private final UsageRecorder recorder;
  private final GatewayMetrics metrics;
  private final RequestLimiter limiter;
  private final PriceBook prices;

  ChatCompletionsHandler(ModelRouter router, UsageRecorder recorder, GatewayMetrics metrics, RequestLimiter limiter,
      PriceBook prices) {
    this.router = router;
    this.recorder = recorder;
    this.metrics = metrics;
    this.limiter = limiter;
    this.prices = prices;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (!recorder.tryReserve()) {
      metrics.usageQueueFull();
      response.putHeader("Retry-After", "1");
      OpenAiErrors.send(response, 503, "The gateway is saturated; retry shortly.", "server_error", null, "overloaded");
      return;
    }
    Identity identity = KeyAuthHandler.of(ctx);
    CallLedger ledger = new CallLedger(recorder, metrics, prices, RequestIds.of(ctx), identity);
    Envelope request;
    try {
      request = OpenAiChatReader.read(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
    } catch (InvalidRequestException e) {
      refuse(response, ledger, 400, e.getMessage(), "invalid_request_error", e.param(), "invalid_request");
      return;
    }
    ledger.request(request.model(), request.stream());
    List<Route> routes = router.routes(request.model());
    if (routes.isEmpty()) {
      refuse(response, ledger, 404, "The model `" + request.model() + "` does not exist or you do not have access to it.",
          "invalid_request_error", "model", "model_not_found");
      return;
    }
    if (!identity.mayUse(request.model())) {
      refuse(response, ledger, 403, "This key is not allowed to use the model `" + request.model() + "`.",
          "invalid_request_error", "model", "model_not_allowed");
      return;
    }
    Route route = routes.getFirst();
    if (identity.limits().none()) {
      call(response, ledger, request, route);
      return;
    }
    limiter.admit("key:" + identity.keyId(), identity.limits()).onComplete(ar -> {
      if (ar.succeeded()) {
        ledger.hold(ar.result());
        RateLimitHeaders.put(response, ar.result().requests());
        call(response, ledger, request, route);
      } else if (ar.cause() instanceof RateLimitedException e) {
        metrics.rateLimited("key");
        RateLimitHeaders.put(response, e.window());
        response.putHeader("Retry-After", Long.toString(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
        refuse(response, ledger, 429, e.getMessage(), "rate_limit_error", null, "rate_limit_exceeded");
      } else {
        response.putHeader("Retry-After", "1");
        refuse(response, ledger, 503, "Rate limits cannot be checked right now; retry shortly.", "server_error", null,
            "limits_unavailable");
      }
    });
  }

  private void call(HttpServerResponse response, CallLedger ledger, Envelope request, Route route) {
    ledger.routedTo(route.provider().name(), route.upstreamModel());
    if (request.stream()) {
      stream(response, ledger, request, route);
    } else {
      complete(response, ledger, request, route);
    }
  }

  private void complete(HttpServerResponse response, CallLedger ledger, Envelope request, Route route) {
    route.provider().complete(request, route.upstreamModel()).onComplete(ar -> {
      if (ar.succeeded()) {
        if (!response.closed()) {
          response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(ar.result().body());
        }
        ledger.finish(response.closed() && !response.ended() ? SseRelay.CLIENT_CLOSED : 200, null, ar.result().usage());
      } else {
        upstreamFailed(response, ledger, ar.cause());
      }
    });
  }

  private void stream(HttpServerResponse response, CallLedger ledger, Envelope request, Route route) {
    SseRelay relay = new SseRelay(response, ledger, metrics, null, request.clientWantsStreamUsage());
    route.provider().stream(request, route.upstreamModel(), relay).onComplete(ar -> {
      if (ar.succeeded()) {
        relay.attach(ar.result());
      } else {
        upstreamFailed(response, ledger, ar.cause());
      }
    });
  }

  private void upstreamFailed(HttpServerResponse response, CallLedger ledger, Throwable cause) {
    if (cause instanceof UpstreamException e) {
      metrics.providerError(ledger.provider(), e.kind().name().toLowerCase());
      if (e.clientStatus() == 429) {
        response.putHeader("Retry-After", "1");
      }
      OpenAiErrors.send(response, e.clientStatus(), e.getMessage(), e.errorType(), null, e.code());
      ledger.finish(e.clientStatus(), e.code(), null);
    } else {
      log.error("unexpected failure calling provider {}", ledger.provider(), cause);
      metrics.providerError(ledger.provider(), "internal");
      OpenAiErrors.send(response, 502, "The gateway could not complete the upstream call.", "upstream_error", null,
          "upstream_failed");
      ledger.finish(502, "upstream_failed", null);
    }
  }

  private static void refuse(HttpServerResponse response, CallLedger ledger, int status, String message, String type,
      String param, String code) {
    OpenAiErrors.send(response, status, message, type, param, code);
    ledger.finish(status, code, null);
  }
}
