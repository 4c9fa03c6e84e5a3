package io.tokenrouter.routing;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins in Redis, shared by every instance: a conversation stays on its target whichever instance
 * serves its next turn. A read refreshes the TTL (GETEX). Redis being slow or away costs a call
 * its pin, never the call: the lookup gives up after {@code timeout}.
 */
public final class RedisPinStore implements PinStore {
  private static final Logger log = LoggerFactory.getLogger(RedisPinStore.class);
  private final Redis redis;
  private final Duration timeout;

  public RedisPinStore(Redis redis, Duration timeout) {
    this.redis = redis;
    this.timeout = timeout;
  }

  @Override
  public Future<String> get(String key, Duration ttl) {
    return redis.send(Request.cmd(Command.GETEX).arg(key).arg("PX").arg(ttl.toMillis()))
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .map(r -> r == null ? null : r.toString())
        .otherwise(e -> {
          log.debug("session pin lookup failed: {}", e.getMessage());
          return null;
        });
  }

  @Override
  public void put(String key, String pin, Duration ttl) {
    redis.send(Request.cmd(Command.SET).arg(key).arg(pin).arg("PX").arg(ttl.toMillis()))
        .onFailure(e -> log.debug("session pin not stored: {}", e.getMessage()));
  }
}
