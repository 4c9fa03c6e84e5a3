package io.tokenrouter.http;

import io.tokenrouter.auth.AuthException;
import io.tokenrouter.auth.Authenticator;
import io.tokenrouter.auth.Identity;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Authenticates {@code Authorization: Bearer <key>} and puts the {@link Identity} on the context. */
final class KeyAuthHandler implements Handler<RoutingContext> {
  static final String KEY = "tokenrouter.identity";
  private static final Logger log = LoggerFactory.getLogger(KeyAuthHandler.class);
  private final Authenticator authenticator;

  KeyAuthHandler(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String key = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    Future.fromCompletionStage(authenticator.authenticate(key), ctx.vertx().getOrCreateContext())
        .onSuccess(identity -> {
          ctx.put(KEY, identity);
          ctx.next();
        })
        .onFailure(failure -> {
          Throwable err = failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause() : failure;
          if (err instanceof AuthException) {
            OpenAiErrors.send(ctx.response(), 401, err.getMessage(), "invalid_request_error", null, "invalid_api_key");
          } else {
            log.warn("key lookup failed: {}", err.getMessage());
            OpenAiErrors.send(ctx.response(), 503, "The gateway cannot verify keys right now; retry shortly.",
                "server_error", null, "auth_unavailable");
          }
        });
  }

  static Identity of(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
