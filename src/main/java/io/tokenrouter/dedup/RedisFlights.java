package io.tokenrouter.dedup;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Flights shared through Redis (seed 000's {@code dedup:inflight:{hash}}). The leader holds
 * {@code dedup:inflight:{key}} (its flight id) on a short lease it renews while its call runs, so
 * a leader that dies is waited for a few seconds at most; once answered, it leaves the answer
 * under {@code dedup:result:{key}:{flight}} for a short while and drops its claim. Waiters poll,
 * backing off from 20 ms to 250 ms, until the answer is there, the claim is gone without one
 * (the leader failed or died), or their wait is over. Polling
 * keeps this to plain commands on the pooled client; a dedicated subscriber connection would
 * save little for answers that take seconds.
 */
final class RedisFlights implements SharedFlights {
  private static final String CLAIM = """
      local current = redis.call('GET', KEYS[1])
      if current then
        return current
      end
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      return ''
      """;
  private static final String PUBLISH = """
      redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        redis.call('DEL', KEYS[1])
      end
      return 1
      """;
  private static final String RENEW = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
      end
      return 1
      """;
  private static final String ABANDON = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        redis.call('DEL', KEYS[1])
      end
      return 1
      """;
  /** The answer; '' while the flight is still claimed; nil when it ended without one. */
  private static final String POLL = """
      local answer = redis.call('GET', KEYS[2])
      if answer then
        return answer
      end
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        return ''
      end
      return false
      """;
  /** A claim lives this long unless renewed; the leader renews it at a third of that. */
  private static final long LEASE_MS = 9_000;
  /** Long enough for every waiter to pick the answer up on its next poll. */
  private static final long RESULT_TTL_MS = 30_000;
  private static final long FIRST_POLL_MS = 20;
  private static final long MAX_POLL_MS = 250;

  private final Vertx vertx;
  private final Redis redis;
  private final Duration maxWait;
  private final long commandTimeoutMs;
  /** The lease-renewal timer of each flight this instance leads. */
  private final Map<String, Long> renewals = new ConcurrentHashMap<>();

  /**
   * @param commandTimeout how long one Redis command may take: a Redis that does not answer
   *     costs a request this much, after which it asks the provider alone
   */
  RedisFlights(Vertx vertx, Redis redis, Duration maxWait, Duration commandTimeout) {
    this.vertx = vertx;
    this.redis = redis;
    this.maxWait = maxWait;
    this.commandTimeoutMs = Math.max(1, commandTimeout.toMillis());
  }

  @Override
  public Future<String> claim(String key, String flight) {
    return eval(CLAIM, inflight(key), null, flight, Long.toString(LEASE_MS))
        .map(r -> r == null || r.toString().isEmpty() ? null : r.toString())
        .onSuccess(leader -> {
          if (leader == null) {
            renewals.put(key + "/" + flight, vertx.setPeriodic(LEASE_MS / 3,
                t -> eval(RENEW, inflight(key), null, flight, Long.toString(LEASE_MS))));
          }
        });
  }

  @Override
  public Future<Void> publish(String key, String flight, String answer) {
    stopRenewing(key, flight);
    return eval(PUBLISH, inflight(key), result(key, flight), flight, answer, Long.toString(RESULT_TTL_MS)).mapEmpty();
  }

  @Override
  public Future<Void> abandon(String key, String flight) {
    stopRenewing(key, flight);
    return eval(ABANDON, inflight(key), null, flight).mapEmpty();
  }

  private void stopRenewing(String key, String flight) {
    Long timer = renewals.remove(key + "/" + flight);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  @Override
  public Future<String> await(String key, String flight) {
    Promise<String> answer = Promise.promise();
    poll(key, flight, System.nanoTime() + maxWait.toNanos(), FIRST_POLL_MS, answer);
    return answer.future();
  }

  private void poll(String key, String flight, long deadline, long delay, Promise<String> answer) {
    eval(POLL, inflight(key), result(key, flight), flight).onComplete(ar -> {
      if (ar.failed() || ar.result() == null) {
        answer.complete(null);
      } else if (!ar.result().toString().isEmpty()) {
        answer.complete(ar.result().toString());
      } else if (System.nanoTime() + delay * 1_000_000 > deadline) {
        answer.complete(null);
      } else {
        vertx.setTimer(delay, t -> poll(key, flight, deadline, Math.min(MAX_POLL_MS, delay * 2), answer));
      }
    });
  }

  private static String inflight(String key) {
    return "dedup:inflight:" + key;
  }

  private static String result(String key, String flight) {
    return "dedup:result:" + key + ":" + flight;
  }

  private Future<Response> eval(String script, String key1, String key2, String... args) {
    Request request = Request.cmd(Command.EVAL).arg(script).arg(key2 == null ? 1 : 2).arg(key1);
    if (key2 != null) {
      request.arg(key2);
    }
    for (String a : args) {
      request.arg(a);
    }
    return redis.send(request).timeout(commandTimeoutMs, TimeUnit.MILLISECONDS);
  }
}
