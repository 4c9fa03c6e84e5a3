package io.tokenrouter.auth;

import io.tokenrouter.call.Call;
import io.tokenrouter.call.CallInterceptor;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The first stage: the key the client presented must be a valid virtual key. */
public final class Authenticate implements CallInterceptor {
  private static final Logger log = LoggerFactory.getLogger(Authenticate.class);
  private final Authenticator authenticator;

  public Authenticate(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public Future<Reply> intercept(Call call, Chain chain) {
    return Future.fromCompletionStage(authenticator.authenticate(call.credential()), Vertx.currentContext())
        .recover(failure -> Future.failedFuture(refusal(failure)))
        .compose(identity -> {
          call.identity(identity);
          return chain.proceed(call);
        });
  }

  private static GatewayError refusal(Throwable failure) {
    Throwable err = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (err instanceof AuthException) {
      return GatewayError.of(GatewayError.Kind.AUTHENTICATION, 401, "invalid_api_key", err.getMessage());
    }
    log.warn("key lookup failed: {}", err.getMessage());
    return GatewayError.builder(GatewayError.Kind.UNAVAILABLE, 503, "auth_unavailable",
        "The gateway cannot verify keys right now; retry shortly.").retryAfter("1").build();
  }
}
