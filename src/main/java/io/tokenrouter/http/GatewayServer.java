package io.tokenrouter.http;

import io.tokenrouter.config.ServerConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Starts one {@link GatewayVerticle} per event loop on the configured port; Vert.x binds the
 * socket once and balances connections between them. Port 0 becomes Vert.x's negative port,
 * which picks one random port shared by all instances.
 */
public final class GatewayServer {
  /** At most one WARN line per kind of client fault in this long, for the whole server. */
  private static final Duration FAULT_LOG_INTERVAL = Duration.ofSeconds(10);

  private GatewayServer() {}

  /** Completes with the port actually listened on. */
  public static Future<Integer> start(Vertx vertx, GatewayRoutes routes, ServerConfig config) {
    ServerConfig listen = config.port() == 0 ? config.withPort(-1) : config;
    ClientFaults faults = new ClientFaults(FAULT_LOG_INTERVAL, System::nanoTime);
    Queue<GatewayVerticle> started = new ConcurrentLinkedQueue<>();
    return vertx.deployVerticle(() -> {
      GatewayVerticle v = new GatewayVerticle(routes, listen, faults);
      started.add(v);
      return v;
    }, new DeploymentOptions().setInstances(config.eventLoops()))
        .map(id -> started.peek().actualPort());
  }
}
