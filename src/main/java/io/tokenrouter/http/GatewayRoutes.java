package io.tokenrouter.http;

import io.tokenrouter.admin.AdminRoutes;
import io.tokenrouter.api.InboundAdapter;
import io.tokenrouter.api.ResourceRoutes;
import io.tokenrouter.api.openai.OpenAiErrors;
import io.tokenrouter.auth.KeyAuthenticator;
import io.tokenrouter.call.CallChain;
import io.tokenrouter.call.CallListener;
import io.tokenrouter.caller.Identity;
import io.tokenrouter.metrics.GatewayMetrics;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.routing.ModelRouter;
import io.tokenrouter.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's routes: each client API at its paths (and each also under {@code /api}), the
 * model list, health, metrics and the admin API. Errors the router itself raises (unknown path,
 * wrong method, body too large) get OpenAI's shape. {@code admin} is null when the admin API is
 * disabled (no token configured).
 */
public final class GatewayRoutes {
  private static final Logger log = LoggerFactory.getLogger(GatewayRoutes.class);
  private static final String ALIAS_PREFIX = "/api";
  private final List<InboundAdapter> apis;
  private final CallChain chain;
  private final CallListener listener;
  private final KeyAuthenticator authenticator;
  private final ModelRouter models;
  private final GatewayMetrics metrics;
  private final AdminRoutes admin;
  private final Database database;
  private final long maxBodyBytes;

  public GatewayRoutes(List<InboundAdapter> apis, CallChain chain, CallListener listener,
      KeyAuthenticator authenticator, ModelRouter models, GatewayMetrics metrics, AdminRoutes admin,
      Database database, long maxBodyBytes) {
    this.apis = List.copyOf(apis);
    this.chain = chain;
    this.listener = listener;
    this.authenticator = authenticator;
    this.models = models;
    this.metrics = metrics;
    this.admin = admin;
    this.database = database;
    this.maxBodyBytes = maxBodyBytes;
  }

  Router router(Vertx vertx) {
    Router r = Router.router(vertx);
    r.route().handler(new RequestIds());
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodyBytes).setHandleFileUploads(false);
    for (InboundAdapter api : apis) {
      for (String path : api.paths()) {
        ApiHandler handler = new ApiHandler(api, path, chain, listener);
        for (HttpMethod method : api.methods()) {
          for (String mounted : List.of(path, ALIAS_PREFIX + path)) {
            if (api.streamsBody()) {
              r.route(method, mounted).handler(handler);
            } else {
              r.route(method, mounted).handler(body).handler(handler);
            }
          }
        }
      }
    }
    KeyAuthHandler auth = new KeyAuthHandler(authenticator);
    for (InboundAdapter api : apis) {
      if (api instanceof ResourceRoutes resources) {
        resources.mount(r, "", auth, KeyAuthHandler::of);
        resources.mount(r, ALIAS_PREFIX, auth, KeyAuthHandler::of);
      }
    }
    r.get("/v1/models").handler(auth).handler(this::models);
    r.get(ALIAS_PREFIX + "/v1/models").handler(auth).handler(this::models);
    r.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "ok")));
    r.get("/health/ready").handler(this::ready);
    r.get("/metrics").handler(this::metrics);
    if (admin != null) {
      admin.mount(r);
    }

    r.errorHandler(404, ctx -> error(ctx.response(), GatewayError.of(GatewayError.Kind.NOT_FOUND, 404, "unknown_url",
        "Unknown request URL: " + ctx.request().method() + " " + ctx.request().path() + ".")));
    r.errorHandler(405, ctx -> error(ctx.response(), GatewayError.of(GatewayError.Kind.INVALID_REQUEST, 405,
        "method_not_allowed", "Method " + ctx.request().method() + " is not allowed on " + ctx.request().path() + ".")));
    r.errorHandler(413, ctx -> error(ctx.response(), GatewayError.of(GatewayError.Kind.REQUEST_TOO_LARGE, 413,
        "request_too_large", "Request body is larger than the " + maxBodyBytes + " bytes this gateway accepts.")));
    r.errorHandler(500, ctx -> {
      log.error("unhandled error on {}", ctx.request().path(), ctx.failure());
      error(ctx.response(), GatewayError.of(GatewayError.Kind.INTERNAL, 500, "internal_error",
          "The gateway failed to handle this request."));
    });
    return r;
  }

  static void error(HttpServerResponse response, GatewayError e) {
    if (response.headWritten() || response.ended() || response.closed()) {
      return;
    }
    var reply = OpenAiErrors.render(e);
    response.setStatusCode(reply.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(reply.body());
  }

  private void models(RoutingContext ctx) {
    Identity identity = KeyAuthHandler.of(ctx);
    JsonArray data = new JsonArray();
    for (String name : models.modelNames()) {
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
