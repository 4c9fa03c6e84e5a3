package io.tokenrouter.call;

import io.tokenrouter.reply.Reply;
import io.vertx.core.Future;

/** Reads the body into the envelope, once the caller is known (a bad key is told so before a bad body). */
public final class ReadRequest implements CallInterceptor {
  @Override
  public Future<Reply> intercept(Call call, Chain chain) {
    call.readEnvelope();
    return chain.proceed(call);
  }
}
