package io.tokenrouter.http;

import io.tokenrouter.admin.AdminRoutes;
import io.tokenrouter.api.InboundAdapter;
import io.tokenrouter.api.ResourceRoutes;
import io.tokenrouter.api.openai.OpenAiErrors;
import io.tokenrouter.auth.Authenticator;
import io.tokenrouter.call.CallChain;
import io.tokenrouter.call.CallListener;
import io.tokenrouter.caller.Identity;
import io.tokenrouter.console.ConsoleRoutes;
import io.tokenrouter.metrics.GatewayMetrics;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.routing.ModelRouter;
import io.tokenrouter.store.Database;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.List;

/**
 * The gateway's routes: each client API at its paths (and each also under {@code /api}), the
 * model list, health, metrics and the admin API. Errors the router itself raises (unknown path,
 * wrong method, body too large) get OpenAI's shape. {@code admin} is null when the admin API is
 * disabled (no token configured).
 */
public final class GatewayRoutes {
  private static final String ALIAS_PREFIX = "/api";
  private final List<InboundAdapter> apis;
  private final CallChain chain;
  private final CallListener listener;
  private static final String METRICS_WORKER = "tokenrouter-metrics";
  private final Authenticator authenticator;
  private final ModelRouter models;
  private final GatewayMetrics metrics;
  private final AdminRoutes admin;
  private final Database database;
  private final long maxBodyBytes;
  private final List<String> corsOrigins;

  public GatewayRoutes(List<InboundAdapter> apis, CallChain chain, CallListener listener,
      Authenticator authenticator, ModelRouter models, GatewayMetrics metrics, AdminRoutes admin,
      Database database, long maxBodyBytes, List<String> corsOrigins) {
    this.apis = List.copyOf(apis);
    this.chain = chain;
    this.listener = listener;
    this.authenticator = authenticator;
    this.models = models;
    this.metrics = metrics;
    this.admin = admin;
    this.database = database;
    this.maxBodyBytes = maxBodyBytes;
    this.corsOrigins = List.copyOf(corsOrigins);
  }

  Router router(Vertx vertx, RouterErrors errors) {
    Router r = Router.router(vertx);
    r.route().handler(new RequestIds());
    if (!corsOrigins.isEmpty()) {
      CorsHandler cors = Cors.handler(corsOrigins);
      for (String prefix : List.of("/v1/*", "/api/v1/*", "/admin/*")) {
        r.route(prefix).handler(cors);
      }
    }
    RequestBodyReader body = new RequestBodyReader(maxBodyBytes);
    for (InboundAdapter api : apis) {
      for (String path : api.paths()) {
        ApiHandler handler = new ApiHandler(api, path, chain, listener);
        Handler<RoutingContext> failure = errors.forApi(api::render);
        for (HttpMethod method : api.methods()) {
          for (String mounted : List.of(path, ALIAS_PREFIX + path)) {
            if (api.streamsBody()) {
              r.route(method, mounted).handler(handler).failureHandler(failure);
            } else {
              r.route(method, mounted).handler(body).handler(handler).failureHandler(failure);
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
    // a worker of its own (closed with the verticle), so a scrape never queues behind other blocking work
    WorkerExecutor scrapes = vertx.createSharedWorkerExecutor(METRICS_WORKER, 1);
    r.get("/metrics").handler(ctx -> metrics(ctx, scrapes));
    new ConsoleRoutes().mount(r); // before the admin API's token check: the console's files hold no data
    if (admin != null) {
      admin.mount(r);
    }

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

  /** From the database's last probe: readiness never waits on the database. */
  private void ready(RoutingContext ctx) {
    boolean up = database.reachable();
    json(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "ready" : "unavailable")
        .put("database", up ? "up" : "down"));
  }

  private void metrics(RoutingContext ctx, WorkerExecutor scrapes) {
    scrapes.executeBlocking(metrics::scrape, false).onComplete(ar -> {
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
