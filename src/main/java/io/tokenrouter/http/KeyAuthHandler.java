package io.tokenrouter.http;

import io.tokenrouter.api.openai.BearerToken;
import io.tokenrouter.auth.AuthException;
import io.tokenrouter.auth.Authenticator;
import io.tokenrouter.caller.Identity;
import io.tokenrouter.reply.GatewayError;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionException;

/** Authenticates {@code Authorization: Bearer <key>} for the routes outside the request path (the model list). */
final class KeyAuthHandler implements Handler<RoutingContext> {
  static final String KEY = "tokenrouter.identity";
  private final Authenticator authenticator;

  KeyAuthHandler(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Future.fromCompletionStage(authenticator.authenticate(BearerToken.of(ctx.request().headers())),
            ctx.vertx().getOrCreateContext())
        .onSuccess(identity -> {
          ctx.put(KEY, identity);
          ctx.next();
        })
        .onFailure(failure -> {
          Throwable err = failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause() : failure;
          GatewayRoutes.error(ctx.response(), err instanceof AuthException
              ? GatewayError.of(GatewayError.Kind.AUTHENTICATION, 401, "invalid_api_key", err.getMessage())
              : GatewayError.of(GatewayError.Kind.UNAVAILABLE, 503, "auth_unavailable",
                  "The gateway cannot verify keys right now; retry shortly."));
        });
  }

  static Identity of(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
