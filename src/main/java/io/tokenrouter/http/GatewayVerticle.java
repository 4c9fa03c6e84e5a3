package io.tokenrouter.http;

import io.netty.channel.ChannelPipeline;
import io.tokenrouter.config.ServerConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP server on one event loop; several share the port, Vert.x balances between them. Every
 * answer the server gives of its own (a malformed head, a router-level error, a timed-out
 * client) is in OpenAI's error shape.
 */
final class GatewayVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(GatewayVerticle.class);
  private final GatewayRoutes routes;
  private final ServerConfig config;
  private final ClientFaults faults;
  private HttpServer server;

  GatewayVerticle(GatewayRoutes routes, ServerConfig config, ClientFaults faults) {
    this.routes = routes;
    this.config = config;
    this.faults = faults;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        // No WebSocket routes: offering no WebSocket compression keeps Vert.x's extension handler,
        // which looks at every request and response for an upgrade, out of the pipeline (about
        // 5% of the event loop per chat request, bench/RESULTS.md).
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false)
        // ClientDeadlines bounds the client's side; Vert.x's idle timeout would also cut long answers.
        .setIdleTimeout(0)
        // The deadlines follow HTTP/1.1 requests on a connection; an h2c upgrade would leave them behind.
        .setHttp2ClearTextEnabled(false)
        .setMaxInitialLineLength(config.maxRequestLineBytes())
        .setMaxHeaderSize(config.maxHeaderBytes()));
    RouterErrors errors = new RouterErrors(config.maxBodyBytes(), faults);
    Router router = routes.router(vertx, errors);
    errors.install(router);
    return server
        .invalidRequestHandler(new InvalidRequests(config.maxRequestLineBytes(), config.maxHeaderBytes(), faults))
        // Resets, and decoder failures already answered: Vert.x would log each at ERROR without this.
        .exceptionHandler(e -> log.debug("client connection failed: {}", e.toString()))
        .connectionHandler(this::guard)
        .requestHandler(router)
        .listen();
  }

  private void guard(HttpConnection connection) {
    // Vert.x offers no public hook on a server connection's bytes; its own WebSocket setup reaches
    // the pipeline the same way.
    ChannelPipeline pipeline = ((ConnectionBase) connection).channelHandlerContext().pipeline();
    pipeline.addBefore("handler", "tokenrouterHttpVersions", HttpVersions.INSTANCE);
    pipeline.addBefore("handler", "tokenrouterFlushBeforeClose", FlushBeforeClose.INSTANCE);
    ClientDeadlines.install(pipeline, config, faults);
    HalfCloseProbe.install(pipeline);
    BodyJoiner.install(pipeline, config.maxBodyBytes());
  }

  int actualPort() {
    return server.actualPort();
  }
}
