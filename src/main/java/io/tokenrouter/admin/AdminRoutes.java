package io.tokenrouter.admin;

import io.tokenrouter.cluster.ClusterEvent;
import io.tokenrouter.cluster.ClusterEvents;
import io.tokenrouter.store.ApiKeyRepository;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The admin API (seed 004's {@code /admin/api-keys}), guarded by the configured admin token.
 * Changes are written to the database first and then announced to every instance, so a key
 * revoked here is refused everywhere as soon as the event arrives.
 */
public final class AdminRoutes {
  private final byte[] token;
  private final ApiKeyRepository keys;
  private final ClusterEvents events;
  private final Supplier<JsonObject> providerHealth;

  /** @param providerHealth each target's circuit, statistics and keys, as the router knows them now */
  public AdminRoutes(String token, ApiKeyRepository keys, ClusterEvents events, Supplier<JsonObject> providerHealth) {
    this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.keys = keys;
    this.events = events;
    this.providerHealth = providerHealth;
  }

  public void mount(Router router) {
    router.route("/admin/*").handler(this::authorize);
    router.delete("/admin/api-keys/:id").handler(this::revoke);
    router.get("/admin/providers/health").handler(ctx -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(providerHealth.get().encode()));
  }

  private void authorize(RoutingContext ctx) {
    String given = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
      error(ctx, 401, "A valid admin token is required.");
      return;
    }
    ctx.next();
  }

  private void revoke(RoutingContext ctx) {
    UUID id;
    try {
      id = UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      error(ctx, 400, "Not a key id: " + ctx.pathParam("id"));
      return;
    }
    ctx.vertx().executeBlocking(() -> keys.revoke(id), false).onComplete(ar -> {
      if (ar.failed()) {
        error(ctx, 503, "The key store is unavailable: " + ar.cause().getMessage());
      } else if (ar.result().isEmpty()) {
        error(ctx, 404, "No key with id " + id);
      } else {
        events.publish(new ClusterEvent.KeyChanged(ar.result().get())).onComplete(published ->
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("id", id.toString()).put("revoked", true)
                    .put("propagated", published.succeeded()).encode()));
      }
    });
  }

  private static void error(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", new JsonObject().put("message", message)).encode());
  }
}
