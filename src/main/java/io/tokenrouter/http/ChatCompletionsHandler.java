package io.tokenrouter.http;

import io.tokenrouter.auth.Identity;
import io.tokenrouter.billing.PriceBook;
import io.tokenrouter.envelope.Envelope;
import io.tokenrouter.envelope.InvalidRequestException;
import io.tokenrouter.inbound.OpenAiChatReader;
import io.tokenrouter.admission.Admission;
import io.tokenrouter.admission.CallFacts;
import io.tokenrouter.admission.Namespace;
import io.tokenrouter.admission.Namespaces;
import io.tokenrouter.admission.Refusal;
import io.tokenrouter.billing.PriceBook;
import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.limit.Limits;
import io.tokenrouter.limit.OutputCap;
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
 * known model the key and its namespace may use, the per-request token caps, then the
 * {@link Admission} checks: rates, quota, budgets), then the call to the first route, relayed to
 * the client.
 */
final class ChatCompletionsHandler implements Handler<RoutingContext> {
  private static final Logger log = LoggerFactory.getLogger(ChatCompletionsHandler.class);
  /**
   * Output tokens a request without max_tokens reserves against quotas and TPM. A longer answer
   * is still settled at its real size; only the overshoot of requests in flight is bounded by this
   * guess. Budgets are caps and reserve what they let the request ask for (see SpendCheck).
   */
  static final int DEFAULT_OUTPUT_RESERVATION = 1024;
  private final ModelRouter router;
  private final Namespaces namespaces;
  private final UsageRecorder recorder;
  private final Admission admission;
  private final TokenEstimator estimator;
  private final PriceBook prices;
  private final GatewayMetrics metrics;

  ChatCompletionsHandler(ChatServices services, GatewayMetrics metrics) {
    this.router = services.router();
    this.namespaces = services.namespaces();
    this.recorder = services.recorder();
    this.admission = services.admission();
    this.estimator = services.estimator();
    this.prices = services.prices();
    this.metrics = metrics;
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
    Namespace namespace = namespaces.isEmpty() ? null
        : namespaces.match(identity, ctx.request().headers(), ctx.request().path());
    if (namespace != null && !namespace.models().allows(request.model())) {
      refuse(response, ledger, 403, "Namespace " + namespace.name() + " does not allow the model `" + request.model()
          + "`.", "invalid_request_error", "model", "model_not_allowed");
      return;
    }
    Limits nsLimits = namespace == null ? Limits.NONE : namespace.limits();
    Route route = routes.getFirst();
    Integer outputCap = Limits.tighter(identity.maxOutputTokens(), nsLimits.maxOutputTokens());
    Integer asked = request.maxOutputTokens();
    if (outputCap != null && (asked == null || asked > outputCap)) {
      request = request.withMaxOutputTokens(outputCap);
    }
    if (namespace == null && identity.keyLimits().equals(Limits.NONE) && identity.userId() == null) {
      call(response, ledger, request, route, outputCap);
      return;
    }
    Integer inputCap = Limits.tighter(identity.maxInputTokens(), nsLimits.maxInputTokens());
    CallFacts facts = facts(identity, namespace, request, route, inputCap != null);
    if (inputCap != null && facts.promptTokens() > inputCap) {
      refuse(response, ledger, 400, "This request's prompt is about " + facts.promptTokens()
          + " tokens; at most " + inputCap + " are allowed.", "invalid_request_error", "messages",
          "input_tokens_exceeded");
      return;
    }
    Envelope admitted = request;
    admission.admit(facts).onComplete(ar -> {
      if (ar.succeeded()) {
        ledger.hold(ar.result());
        ar.result().headers(response.headers());
        // a budget pays for no more output than its reservation: the request must not ask for more
        Integer ceiling = ar.result().outputCeiling();
        Integer sent = admitted.maxOutputTokens();
        Envelope capped = ceiling != null && (sent == null || sent > ceiling)
            ? admitted.withMaxOutputTokens(ceiling) : admitted;
        call(response, ledger, capped, route, Limits.tighter(outputCap, ceiling));
      } else {
        Refusal refusal = (Refusal) ar.cause();
        response.headers().addAll(refusal.headers());
        if (refusal.retryAfter() != null) {
          response.putHeader("Retry-After", Long.toString(Math.max(1, (refusal.retryAfter().toMillis() + 999) / 1000)));
        }
        refuse(response, ledger, refusal.status(), refusal.getMessage(), refusal.type(), null, refusal.code());
      }
    });
  }

  /** The estimates the checks reserve against; computed only when something needs them. */
  private CallFacts facts(Identity identity, Namespace namespace, Envelope request, Route route, boolean inputCapped) {
    Integer asked = request.maxOutputTokens();
    CallFacts bare = new CallFacts(identity, namespace, request.model(), route.upstreamModel(), 0, 0, asked);
    if (!inputCapped && !admission.needsEstimate(bare)) {
      return bare;
    }
    int prompt = estimator.countPrompt(request, route.upstreamModel());
    int output = asked != null ? asked : DEFAULT_OUTPUT_RESERVATION;
    return new CallFacts(identity, namespace, request.model(), route.upstreamModel(), prompt, output, asked);
  }

  /** @param outputCap the output tokens a stream is cut at, or null */
  private void call(HttpServerResponse response, CallLedger ledger, Envelope request, Route route, Integer outputCap) {
    ledger.routedTo(route.provider().name(), route.upstreamModel());
    if (request.stream()) {
      stream(response, ledger, request, route, outputCap);
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

  private void stream(HttpServerResponse response, CallLedger ledger, Envelope request, Route route, Integer cap) {
    SseRelay relay = new SseRelay(response, ledger, metrics,
        cap == null ? null : new OutputCap(estimator, route.upstreamModel(), cap), request.clientWantsStreamUsage());
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
