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
 * The last stage: sends the call to its target and answers with the provider's reply. Nothing
 * of the reply has reached the client when this completes, so a stage before may still try
 * again elsewhere. Each attempt's request is the call's envelope after the prompt pipeline's
 * target stages for that target.
 */
public final class Attempts implements CallInterceptor {
  private final TargetStage targetStages;

  public Attempts(TargetStage targetStages) {
    this.targetStages = targetStages;
  }

  @Override
  public Future<Reply> intercept(Call call, Chain chain) {
    Target target = call.get(Candidates.KEY).first();
    call.target(target);
    UpstreamRequest request = new UpstreamRequest(targetStages.apply(call.envelope(), call, target), target.model(),
        call.id(), !call.neutralReply(), call.cancellation());
    if (!target.adapter().supports(call.envelope().operation())) {
      return Future.failedFuture(GatewayError.invalid("Provider '" + target.provider() + "' cannot serve "
          + call.envelope().operation().name().toLowerCase(Locale.ROOT).replace('_', ' ')
          + " requests.", null));
    }
    return target.adapter().send(request).onFailure(e -> {
      if (e instanceof GatewayError error) {
        call.attemptFailed(error);
      }
    });
  }
}
