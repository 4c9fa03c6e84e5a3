package io.tokenrouter;

import io.tokenrouter.cluster.ClusterEvents;
import io.tokenrouter.cluster.LocalClusterEvents;
import io.tokenrouter.cluster.RedisClients;
import io.tokenrouter.cluster.RedisClusterEvents;
import io.tokenrouter.config.RedisConfig;
import io.tokenrouter.limit.CounterStore;
import io.tokenrouter.limit.GuardedCounterStore;
import io.tokenrouter.limit.LocalCounterStore;
import io.tokenrouter.limit.RedisCounterStore;
import io.tokenrouter.metrics.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * What instances share: counters and events. Redis when {@code redis.url} is set, in-process
 * otherwise; nothing on the request path knows which.
 */
record SharedState(CounterStore counters, ClusterEvents events, Runnable stop) {
  private static final long SWEEP_MS = 60_000;

  static SharedState create(Vertx vertx, RedisConfig config, GatewayMetrics metrics) {
    if (!config.enabled()) {
      LocalCounterStore local = new LocalCounterStore();
      long sweeper = vertx.setPeriodic(SWEEP_MS, id -> local.sweep());
      return new SharedState(local, new LocalClusterEvents(), () -> vertx.cancelTimer(sweeper));
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
    return new SharedState(counters, events, () -> { });
  }

  Future<Void> close() {
    stop.run();
    return Future.join(counters.close(), events.close()).mapEmpty();
  }
}
