package io.tokenrouter.api;

import io.tokenrouter.caller.Identity;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Routes of a client API beside its model requests, for what the gateway keeps on the client's
 * behalf (a stored response's {@code GET} and {@code DELETE}). An {@link InboundAdapter} that has
 * such routes implements this too.
 */
public interface ResourceRoutes {
  /**
   * Mounts the routes under {@code prefix} ({@code ""}, or the {@code /api} alias).
   *
   * @param keyAuth authenticates the caller's key, answering 401 itself when it is not valid
   * @param identity the authenticated caller of a request that passed {@code keyAuth}
   */
  void mount(Router router, String prefix, Handler<RoutingContext> keyAuth, Function<RoutingContext, Identity> identity);
}
