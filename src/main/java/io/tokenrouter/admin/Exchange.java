package io.tokenrouter.admin;

import io.tokenrouter.cluster.ClusterEvent;
import io.tokenrouter.cluster.ClusterEvents;
import io.tokenrouter.store.ConflictException;
import io.tokenrouter.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a resource's work off the event loop (it is JDBC), announces the events of a committed
 * change to every instance, and writes the answer: the reply, or the error in OpenAI's shape.
 */
final class Exchange {
  private static final Logger log = LoggerFactory.getLogger(Exchange.class);
  private final ClusterEvents events;

  Exchange(ClusterEvents events) {
    this.events = events;
  }

  void run(RoutingContext ctx, Callable<Reply> work) {
    ctx.vertx().executeBlocking(work, false).onComplete(ar -> {
      if (ar.failed()) {
        fail(ctx, ar.cause());
        return;
      }
      Reply reply = ar.result();
      List<Future<Void>> announced = new ArrayList<>();
      for (ClusterEvent e : reply.events()) {
        announced.add(events.publish(e));
      }
      Future.join(announced).onComplete(published -> {
        if (reply.csv() != null) {
          ctx.response().setStatusCode(reply.status()).putHeader(HttpHeaders.CONTENT_TYPE, "text/csv; charset=utf-8")
              .end(reply.csv());
          return;
        }
        JsonObject body = reply.json();
        if (!reply.events().isEmpty()) {
          // false: the change is stored, but instances learn of it only when their caches expire
          body.put("propagated", published.succeeded());
        }
        json(ctx, reply.status(), body);
      });
    });
  }

  static void fail(RoutingContext ctx, Throwable failure) {
    if (failure instanceof AdminError e) {
      error(ctx, e.status, e.getMessage(), e.type, e.param, e.code);
    } else if (failure instanceof ConflictException) {
      error(ctx, 409, "That conflicts with what is stored (a value that must be unique is taken).",
          "invalid_request_error", null, "conflict");
    } else if (failure instanceof StoreException) {
      log.warn("admin request {} {} failed: {}", ctx.request().method(), ctx.request().path(), failure.getMessage());
      boolean read = ctx.request().method() == HttpMethod.GET;
      error(ctx, 503, "The gateway's database did not answer" + (read ? "" : "; nothing was changed")
          + ". Retry shortly.", "server_error", null, "store_unavailable");
    } else {
      log.error("admin request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
      error(ctx, 500, "The admin API failed to handle this request; nothing was changed.", "server_error", null,
          "internal_error");
    }
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
  }

  static void error(RoutingContext ctx, int status, String message, String type, String param, String code) {
    if (ctx.response().ended()) {
      return;
    }
    json(ctx, status, new JsonObject().put("error", new JsonObject().put("message", message).put("type", type)
        .put("param", param).put("code", code)));
  }
}
