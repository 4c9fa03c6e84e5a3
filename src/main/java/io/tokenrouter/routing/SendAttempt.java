package io.tokenrouter.routing;

import io.tokenrouter.call.Call;
import io.tokenrouter.call.CallInterceptor;
import io.tokenrouter.pipeline.TargetStage;
import io.tokenrouter.provider.Target;
import io.tokenrouter.provider.UpstreamRequest;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.Reply;
import io.vertx.core.Future;
import java.util.Locale;

/**
 * The last stage: sends the current attempt to its target with the key chosen for it, and
 * answers with the provider's reply. Each attempt's request is the call's envelope after the
 * prompt pipeline's target stages for that target. Nothing of the reply has reached the client
 * when this completes, so {@link RetryAndFallback} may still try again elsewhere.
 */
public final class SendAttempt implements CallInterceptor {
  private final TargetStage targetStages;

  public SendAttempt(TargetStage targetStages) {
    this.targetStages = targetStages;
  }

  @Override
  public Future<Reply> intercept(Call call, Chain chain) {
    Target target = call.target();
    if (!target.adapter().supports(call.envelope().operation())) {
      return Future.failedFuture(GatewayError.invalid("Provider '" + target.provider() + "' cannot serve "
          + call.envelope().operation().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " requests.", null));
    }
    ProviderKey key = call.get(ProviderKey.CHOSEN);
    return target.adapter().send(new UpstreamRequest(targetStages.apply(call.envelope(), call, target), target.model(),
        call.id(), !call.neutralReply(), call.cancellation(), null, key == null ? "" : key.secret()));
  }
}
