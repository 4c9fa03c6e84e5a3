package io.tokenrouter.http;

import io.tokenrouter.config.ServerConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Starts one {@link GatewayVerticle} per event loop on the configured port. With port 0 the
 * first instance picks the port and the others join it.
 */
public final class GatewayServer {
  private GatewayServer() {}

  /** Completes with the port actually listened on. */
  public static Future<Integer> start(Vertx vertx, GatewayRoutes routes, ServerConfig config) {
    GatewayVerticle first = new GatewayVerticle(routes, config.host(), config.port());
    return vertx.deployVerticle(first).compose(id -> {
      int port = first.actualPort();
      int more = config.eventLoops() - 1;
      if (more <= 0) {
        return Future.succeededFuture(port);
      }
      return vertx.deployVerticle(() -> new GatewayVerticle(routes, config.host(), port),
          new DeploymentOptions().setInstances(more)).map(port);
    });
  }
}
