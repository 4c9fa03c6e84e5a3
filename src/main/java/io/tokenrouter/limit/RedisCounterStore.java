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
 * are sent by SHA and loaded on the first NOSCRIPT. Window counters are strings with a TTL
 * (seed 000's {@code ratelimit:*}); concurrency slots are sorted sets of leases scored by expiry
 * on Redis' own clock, so instances with skewed clocks agree.
 */
public final class RedisCounterStore implements CounterStore {
  /**
   * ARGV: min, max, limit, window ms, seed ('' = none: answer -1 when the counter is new). Adds
   * as much of max as fits under limit if at least min does; answers {verdict, used, ttl, added}.
   * The amount added is formatted as an integer: Lua would write a large number as 1e+14,
   * which INCRBY refuses.
   */
  private static final Script COUNT = new Script("""
      local min = tonumber(ARGV[1])
      local max = tonumber(ARGV[2])
      local limit = tonumber(ARGV[3])
      local used = redis.call('GET', KEYS[1])
      if not used then
        if ARGV[5] == '' then
          return {-1, 0, 0, 0}
        end
        redis.call('SET', KEYS[1], ARGV[5], 'PX', ARGV[4], 'NX')
        used = redis.call('GET', KEYS[1])
      end
      used = tonumber(used)
      local ttl = redis.call('PTTL', KEYS[1])
      if used >= limit or used + min > limit then
        return {0, used, ttl, 0}
      end
      local added = ARGV[2]
      if used + max > limit then
        added = string.format('%d', limit - used)
      end
      used = redis.call('INCRBY', KEYS[1], added)
      return {1, used, ttl, tonumber(added)}
      """);
  private static final Script ADJUST = new Script("""
      if redis.call('EXISTS', KEYS[1]) == 0 then
        return 0
      end
      if redis.call('INCRBY', KEYS[1], ARGV[1]) < 0 then
        redis.call('SET', KEYS[1], 0, 'KEEPTTL')
      end
      return 1
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
    return count(key, cost, cost, limit, window, 0L);
  }

  @Override
  public Future<WindowResult> charge(String key, long min, long max, long limit, Duration ttl, Long seed) {
    return count(key, min, max, limit, ttl, seed);
  }

  private Future<WindowResult> count(String key, long min, long max, long limit, Duration window, Long seed) {
    return COUNT.run(redis, key, Long.toString(min), Long.toString(max), Long.toString(limit),
        Long.toString(window.toMillis()), seed == null ? "" : Long.toString(seed)).map(r -> {
          long verdict = r.get(0).toLong();
          return verdict < 0 ? WindowResult.unseeded(limit) : WindowResult.of(verdict == 1, r.get(1).toLong(), limit,
              Duration.ofMillis(Math.max(0, r.get(2).toLong())), r.get(3).toLong());
        });
  }

  @Override
  public Future<Void> adjust(String key, long delta) {
    return ADJUST.run(redis, key, Long.toString(delta)).mapEmpty();
  }

  @Override
  public Future<Boolean> acquire(String key, String leaseId, int max, Duration ttl) {
    return ACQUIRE.run(redis, key, leaseId, Integer.toString(max), Long.toString(ttl.toMillis()))
        .map(r -> r.toInteger() == 1);
  }

  @Override
  public Future<Void> release(String key, String leaseId) {
    return redis.send(Request.cmd(Command.ZREM).arg(key).arg(leaseId)).mapEmpty();
  }

  @Override
  public Future<Void> ping() {
    return redis.send(Request.cmd(Command.PING)).mapEmpty();
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
