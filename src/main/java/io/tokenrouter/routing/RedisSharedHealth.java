package io.tokenrouter.routing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Open breakers shared through Redis (seed 000's {@code provider:health:{name}}, a hash per
 * provider): while an instance's breaker of {@code provider/model} is open it keeps the field
 * {@code model|instance} set to the time it last said so, and the key expires 30 s after the
 * last word, so a report outlives neither its instance nor its breaker by more. Every second
 * each instance reads the hashes of its targets' providers and keeps its closed breakers shut
 * for targets another instance reports open (a half-open or open breaker follows its own
 * judgement: that is how it probes). Nothing of this is on the request path.
 */
public final class RedisSharedHealth implements SharedHealth {
  private static final Logger log = LoggerFactory.getLogger(RedisSharedHealth.class);
  static final long TTL_MS = 30_000;
  private static final long POLL_MS = 1_000;
  private final Vertx vertx;
  private final Redis redis;
  private final Duration timeout;
  private final String instance = UUID.randomUUID().toString();
  private long timer = -1;

  public RedisSharedHealth(Vertx vertx, Redis redis, Duration timeout) {
    this.vertx = vertx;
    this.redis = redis;
    this.timeout = timeout;
  }

  static String key(String provider) {
    return "provider:health:" + provider;
  }

  @Override
  public void changed(String provider, String model, CircuitBreaker.State state) {
    String field = model + '|' + instance;
    Future<?> sent = switch (state) {
      case OPEN -> redis.batch(List.of(
          Request.cmd(Command.HSET).arg(key(provider)).arg(field).arg(System.currentTimeMillis()),
          Request.cmd(Command.PEXPIRE).arg(key(provider)).arg(TTL_MS)));
      case CLOSED -> redis.send(Request.cmd(Command.HDEL).arg(key(provider)).arg(field));
      case HALF_OPEN -> Future.succeededFuture();
    };
    sent.onFailure(e -> log.debug("cannot share the breaker state of {}/{}: {}", provider, model, e.getMessage()));
  }

  @Override
  public void start(Supplier<Collection<TargetState>> targets) {
    timer = vertx.setPeriodic(POLL_MS, id -> poll(targets.get()));
  }

  private void poll(Collection<TargetState> targets) {
    Map<String, List<TargetState>> byProvider = new LinkedHashMap<>();
    List<Request> requests = new ArrayList<>();
    for (TargetState t : targets) {
      byProvider.computeIfAbsent(t.provider(), p -> new ArrayList<>()).add(t);
      if (t.breaker().state() != CircuitBreaker.State.CLOSED) {
        // still open here: say so again, or the others forget it when the key expires
        requests.add(Request.cmd(Command.HSET).arg(key(t.provider())).arg(t.model() + '|' + instance)
            .arg(System.currentTimeMillis()));
        requests.add(Request.cmd(Command.PEXPIRE).arg(key(t.provider())).arg(TTL_MS));
      }
    }
    List<String> providers = new ArrayList<>(byProvider.keySet());
    int reads = requests.size();
    for (String provider : providers) {
      requests.add(Request.cmd(Command.HGETALL).arg(key(provider)));
    }
    if (requests.isEmpty()) {
      return;
    }
    redis.batch(requests).timeout(timeout.toMillis() + POLL_MS, TimeUnit.MILLISECONDS).onSuccess(answers -> {
      long fresh = System.currentTimeMillis() - TTL_MS;
      for (int i = 0; i < providers.size(); i++) {
        Set<String> openElsewhere = openElsewhere(answers.get(reads + i), fresh);
        for (TargetState t : byProvider.get(providers.get(i))) {
          t.breaker().openElsewhere(openElsewhere.contains(t.model()));
        }
      }
    }).onFailure(e -> log.debug("cannot read shared provider health: {}", e.getMessage()));
  }

  /** The models other instances reported open, recently enough. */
  private Set<String> openElsewhere(Response hash, long fresh) {
    Set<String> open = new HashSet<>();
    if (hash == null) {
      return open;
    }
    for (String field : hash.getKeys()) {
      int bar = field.lastIndexOf('|');
      if (bar > 0 && !field.substring(bar + 1).equals(instance)) {
        long at = hash.get(field).toLong();
        if (at >= fresh) {
          open.add(field.substring(0, bar));
        }
      }
    }
    return open;
  }

  @Override
  public Future<Void> close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return Future.succeededFuture();
  }
}
