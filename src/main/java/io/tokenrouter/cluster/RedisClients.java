package io.tokenrouter.cluster;

import io.tokenrouter.config.RedisConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/** Builds Redis clients from the configuration, sized for the request path. */
public final class RedisClients {
  /**
   * Commands waiting for a pooled connection. Bounded so an unreachable Redis cannot grow a queue
   * without end; each waiter is also bounded in time by {@code redis.timeout}.
   */
  private static final int MAX_WAITING = 10_000;

  private RedisClients() {}

  public static Redis create(Vertx vertx, RedisConfig config) {
    return create(vertx, config.url(), config.poolSize(), (int) Math.max(100, config.timeout().toMillis()));
  }

  public static Redis create(Vertx vertx, String url, int poolSize, int connectTimeoutMs) {
    return Redis.createClient(vertx, new RedisOptions()
        .setConnectionString(url)
        .setMaxPoolSize(poolSize)
        .setMaxPoolWaiting(MAX_WAITING)
        .setMaxWaitingHandlers(MAX_WAITING)
        .setNetClientOptions(new NetClientOptions().setConnectTimeout(connectTimeoutMs).setTcpNoDelay(true)));
  }
}
