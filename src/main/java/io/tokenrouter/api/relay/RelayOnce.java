package io.tokenrouter.api.relay;

import io.tokenrouter.call.Call;
import io.tokenrouter.call.CallInterceptor;
import io.tokenrouter.envelope.Operation;
import io.tokenrouter.provider.Target;
import io.tokenrouter.provider.UpstreamRequest;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.Reply;
import io.tokenrouter.routing.Candidates;
import io.vertx.core.Future;

/**
 * Answers a relayed call (a custom route) itself, with one attempt at its route's provider, with
 * the provider's first key: the client's body streams to the provider as it arrives, so it can
 * be sent only once, and there is nothing to retry elsewhere. Every other call goes on to the
 * attempts.
 */
public final class RelayOnce implements CallInterceptor {
  @Override
  public Future<Reply> intercept(Call call, Chain chain) {
    if (call.envelope().operation() != Operation.RELAY) {
      return chain.proceed(call);
    }
    Target target = call.get(Candidates.KEY).first();
    call.target(target);
    if (!target.adapter().supports(Operation.RELAY)) {
      return Future.failedFuture(GatewayError.invalid("Provider '" + target.provider()
          + "' cannot relay requests as they are.", null));
    }
    UpstreamRequest request = new UpstreamRequest(call.envelope(), target.model(), call.id(), true,
        call.cancellation(), call.bodyStream(), "");
    return target.adapter().send(request).onFailure(e -> {
      if (e instanceof GatewayError error) {
        call.attemptFailed(error);
      }
    });
  }
}
