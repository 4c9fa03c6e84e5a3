package io.tokenrouter.http;

import io.tokenrouter.admin.AdminRoutes;
import io.tokenrouter.auth.Authenticator;
import io.tokenrouter.auth.Identity;
import io.tokenrouter.metrics.GatewayMetrics;
import io.tokenrouter.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's routes. Every {@code /v1} route is also served under {@code /api/v1}. Errors
 * the router itself raises (unknown path, wrong method, body too large) get OpenAI's shape.
 * {@code admin} is null when the admin API is disabled (no token configured).
 */
public final class GatewayRoutes {
  private static final Logger log = LoggerFactory.getLogger(GatewayRoutes.class);
  private static final String[] API_PREFIXES = {"/v1", "/api/v1"};
  private final Authenticator authenticator;
  private final ChatServices chat;
  private final GatewayMetrics metrics;
  private final AdminRoutes admin;
  private final Database database;
  private final long maxBodyBytes;
  private final List<String> corsOrigins;

  public GatewayRoutes(Authenticator authenticator, ChatServices chat, GatewayMetrics metrics, AdminRoutes admin,
      Database database, long maxBodyBytes, List<String> corsOrigins) {
    this.authenticator = authenticator;
    this.chat = chat;
    this.metrics = metrics;
    this.admin = admin;
    this.database = database;
    this.maxBodyBytes = maxBodyBytes;
    this.corsOrigins = List.copyOf(corsOrigins);
  }

  Router router(Vertx vertx) {
    Router r = Router.router(vertx);
    r.route().handler(new RequestIds());
    if (!corsOrigins.isEmpty()) {
      CorsHandler cors = Cors.handler(corsOrigins);
      for (String prefix : List.of("/v1/*", "/api/v1/*", "/admin/*")) {
        r.route(prefix).handler(cors);
      }
    }
    KeyAuthHandler auth = new KeyAuthHandler(authenticator);
    ChatCompletionsHandler completions = new ChatCompletionsHandler(chat, metrics);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodyBytes).setHandleFileUploads(false);
    for (String prefix : API_PREFIXES) {
      r.post(prefix + "/chat/completions").handler(body).handler(auth).handler(completions);
      r.get(prefix + "/models").handler(auth).handler(this::models);
    }
    r.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "ok")));
    r.get("/health/ready").handler(this::ready);
    r.get("/metrics").handler(this::metrics);
    if (admin != null) {
      admin.mount(r);
    }

    r.errorHandler(404, ctx -> OpenAiErrors.send(ctx.response(), 404,
        "Unknown request URL: " + ctx.request().method() + " " + ctx.request().path() + ".",
        "invalid_request_error", null, "unknown_url"));
    r.errorHandler(405, ctx -> OpenAiErrors.send(ctx.response(), 405,
        "Method " + ctx.request().method() + " is not allowed on " + ctx.request().path() + ".",
        "invalid_request_error", null, "method_not_allowed"));
    r.errorHandler(413, ctx -> OpenAiErrors.send(ctx.response(), 413,
        "Request body is larger than the " + maxBodyBytes + " bytes this gateway accepts.",
        "invalid_request_error", null, "request_too_large"));
    r.errorHandler(500, ctx -> {
      log.error("unhandled error on {}", ctx.request().path(),
          ctx.failure());
      OpenAiErrors.send(ctx.response(), 500, "The gateway failed to handle this request.", "server_error", null,
          "internal_error");
    });
    return r;
  }

  private void models(RoutingContext ctx) {
    Identity identity = KeyAuthHandler.of(ctx);
    JsonArray data = new JsonArray();
    for (String name : chat.router().modelNames()) {
      if (identity.mayUse(name)) {
        data.add(new JsonObject().put("id", name).put("object", "model").put("created", 0)
            .put("owned_by", "tokenrouter"));
      }
    }
    json(ctx, 200, new JsonObject().put("object", "list").put("data", data));
  }

  private void ready(RoutingContext ctx) {
    ctx.vertx().executeBlocking(database::reachable, false).onComplete(ar -> {
      boolean up = ar.succeeded() && ar.result();
      json(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "ready" : "unavailable")
          .put("database", up ? "up" : "down"));
    });
  }

  private void metrics(RoutingContext ctx) {
    ctx.vertx().executeBlocking(metrics::scrape, false).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
            .end(ar.result());
      } else {
        ctx.fail(ar.cause());
      }
    });
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
  }
}
