package io.tokenrouter.call;

import io.tokenrouter.reply.Reply;
import io.vertx.core.Future;

/**
 * One stage of the request path, for every API: it may look at or change the call, refuse it
 * (a failed future with a {@link io.tokenrouter.reply.GatewayError}), answer it itself, or
 * {@link Chain#proceed proceed} and look at or wrap the reply. Runs on the call's event loop and
 * never blocks it.
 */
public interface CallInterceptor {
  Future<Reply> intercept(Call call, Chain chain);

  /** The rest of the path after an interceptor. */
  interface Chain {
    Future<Reply> proceed(Call call);
  }
}
