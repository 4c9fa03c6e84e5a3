package io.tokenrouter.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/** One HTTP server on one event loop; several share the port, Vert.x balances between them. */
final class GatewayVerticle extends VerticleBase {
  private final GatewayRoutes routes;
  private final String host;
  private final int port;
  private HttpServer server;

  GatewayVerticle(GatewayRoutes routes, String host, int port) {
    this.routes = routes;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        .setIdleTimeout(0));
    return server.connectionHandler(HalfCloseProbe::install).requestHandler(routes.router(vertx)).listen();
  }

  int actualPort() {
    return server.actualPort();
  }
}
