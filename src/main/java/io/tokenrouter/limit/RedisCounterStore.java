package io.tokenrouter.limit;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Counters in Redis, shared by every instance. Each operation is one Lua script, so Redis runs
 * the check and the update as one step (no read-then-write race between instances). Scripts
 * are sent by SHA and loaded on the first NOSCRIPT. Keys follow seed 000: {@code ratelimit:*}
 * window counters with a TTL, and {@code concurrency:*} sorted sets of leases scored by expiry
 * (Redis' own clock, so instances with skewed clocks agree).
 */
public final class RedisCounterStore implements CounterStore {
  private static final Script HIT = new Script("""
      local cost = tonumber(ARGV[1])
      local limit = tonumber(ARGV[2])
      local used = tonumber(redis.call('GET', KEYS[1]) or '0')
      local ttl = redis.call('PTTL', KEYS[1])
      if used + cost > limit then
        return {0, used, ttl}
      end
      used = redis.call('INCRBY', KEYS[1], cost)
      if ttl < 0 then
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        ttl = tonumber(ARGV[3])
      end
      return {1, used, ttl}
      """);
  private static final Script ACQUIRE = new Script("""
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
      if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
        return 0
      end
      redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
      redis.call('PEXPIRE', KEYS[1], ARGV[3])
      return 1
      """);

  private final Redis redis;

  public RedisCounterStore(Redis redis) {
    this.redis = redis;
  }

  @Override
  public Future<WindowResult> hit(String key, long cost, long limit, Duration window) {
    return HIT.run(redis, "ratelimit:" + key, Long.toString(cost), Long.toString(limit),
        Long.toString(window.toMillis())).map(r -> new WindowResult(r.get(0).toInteger() == 1, r.get(1).toLong(),
            limit, Duration.ofMillis(Math.max(0, r.get(2).toLong()))));
  }

  @Override
  public Future<Boolean> acquire(String key, String leaseId, int max, Duration ttl) {
    return ACQUIRE.run(redis, "concurrency:" + key, leaseId, Integer.toString(max), Long.toString(ttl.toMillis()))
        .map(r -> r.toInteger() == 1);
  }

  @Override
  public Future<Void> release(String key, String leaseId) {
    return redis.send(Request.cmd(Command.ZREM).arg("concurrency:" + key).arg(leaseId)).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }

  /** A Lua script called by SHA, loaded into Redis the first time Redis does not know it. */
  private record Script(String source, String sha) {
    Script(String source) {
      this(source, sha1(source));
    }

    Future<Response> run(Redis redis, String key, String... args) {
      return redis.send(call(Command.EVALSHA, sha, key, args)).recover(err -> {
        if (String.valueOf(err.getMessage()).startsWith("NOSCRIPT")) {
          return redis.send(call(Command.EVAL, source, key, args));
        }
        return Future.failedFuture(err);
      });
    }

    private static Request call(Command command, String script, String key, String... args) {
      Request r = Request.cmd(command).arg(script).arg(1).arg(key);
      for (String a : args) {
        r.arg(a);
      }
      return r;
    }

    private static String sha1(String text) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-1", e);
      }
    }
  }
}
