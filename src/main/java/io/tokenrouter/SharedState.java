package io.tokenrouter;

import io.tokenrouter.cluster.ClusterEvents;
import io.tokenrouter.cluster.LocalClusterEvents;
import io.tokenrouter.cluster.RedisClients;
import io.tokenrouter.cluster.RedisClusterEvents;
import io.tokenrouter.config.RedisConfig;
import io.tokenrouter.config.RoutingConfig;
import io.tokenrouter.limit.CounterStore;
import io.tokenrouter.limit.GuardedCounterStore;
import io.tokenrouter.limit.LocalCounterStore;
import io.tokenrouter.limit.RedisCounterStore;
import io.tokenrouter.metrics.GatewayMetrics;
import io.tokenrouter.routing.LocalPinStore;
import io.tokenrouter.routing.PinStore;
import io.tokenrouter.routing.RedisPinStore;
import io.tokenrouter.routing.RedisSharedHealth;
import io.tokenrouter.routing.SharedHealth;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.concurrent.TimeUnit;

/**
 * What instances share: counters, events, session pins and provider health. Redis when
 * {@code redis.url} is set, in-process otherwise; nothing on the request path knows which.
 */
record SharedState(CounterStore counters, ClusterEvents events, PinStore pins, SharedHealth health, Runnable stop) {
  private static final long SWEEP_MS = 60_000;

  static SharedState create(Vertx vertx, RedisConfig config, RoutingConfig routing, GatewayMetrics metrics) {
    if (!config.enabled()) {
      LocalCounterStore local = new LocalCounterStore();
      long sweeper = vertx.setPeriodic(SWEEP_MS, id -> local.sweep());
      return new SharedState(local, new LocalClusterEvents(), new LocalPinStore(routing.affinity().maxSessions()),
          SharedHealth.NONE, () -> vertx.cancelTimer(sweeper));
    }
    CounterStore counters = new GuardedCounterStore(new RedisCounterStore(RedisClients.create(vertx, config)), vertx,
        config.failMode(), config.timeout(), new GuardedCounterStore.StateListener() {
          @Override
          public void unavailable(boolean down) {
            metrics.countersUnavailable(down);
          }

          @Override
          public void fellBack(RedisConfig.FailMode mode) {
            metrics.limitFallback(mode.name().toLowerCase());
          }
        });
    RedisClusterEvents events = new RedisClusterEvents(vertx, RedisClients.create(vertx, config),
        RedisClients.create(vertx, config.url(), 1, (int) config.timeout().toMillis()));
    try {
      events.start().await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // not subscribed yet: it keeps retrying, and auth caches expire on their TTL meanwhile
    }
    Redis routingRedis = RedisClients.create(vertx, config);
    return new SharedState(counters, events, new RedisPinStore(routingRedis, config.timeout()),
        new RedisSharedHealth(vertx, routingRedis, config.timeout()), () -> routingRedis.close());
  }

  Future<Void> close() {
    Future<Void> healthStopped = health.close();
    stop.run();
    return Future.join(counters.close(), events.close(), healthStopped).mapEmpty();
  }
}
