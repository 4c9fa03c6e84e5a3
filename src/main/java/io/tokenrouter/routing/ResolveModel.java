package io.tokenrouter.routing;

import io.tokenrouter.call.Call;
import io.tokenrouter.call.CallInterceptor;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.Reply;
import io.vertx.core.Future;

/**
 * Finds the route of the model the client asked for, in the table in force; an unknown model is a
 * 404, a model whose every provider is switched off a 503.
 */
public final class ResolveModel implements CallInterceptor {
  private final ModelRouter router;

  public ResolveModel(ModelRouter router) {
    this.router = router;
  }

  @Override
  public Future<Reply> intercept(Call call, Chain chain) {
    String model = call.envelope().model();
    Route route = router.table().resolve(model);
    if (route == null) {
      return Future.failedFuture(GatewayError.builder(GatewayError.Kind.NOT_FOUND, 404, "model_not_found",
          "The model `" + model + "` does not exist or you do not have access to it.").param("model").build());
    }
    if (route.targets().isEmpty()) {
      return Future.failedFuture(GatewayError.of(GatewayError.Kind.UNAVAILABLE, 503, "providers_disabled",
          "Every provider serving the model `" + model + "` is disabled; an administrator can enable one"
              + " (PATCH /admin/providers/{name} with {\"enabled\": true})."));
    }
    call.put(Candidates.KEY, new Candidates(route));
    return chain.proceed(call);
  }
}
