package io.tokenrouter.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tokenrouter.config.ProviderConfig;
import io.tokenrouter.config.RoutingConfig;
import io.tokenrouter.metrics.GatewayMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The breakers, statistics and key pools that outlive any one routing table: a reload that
 * keeps a target keeps what was learnt about it, and a reload that keeps a provider's keys
 * keeps their cool-downs. Targets named through a wildcard are as many as clients make up, so
 * they are bounded and forgotten when idle.
 */
public final class TargetStates {
  private static final Logger log = LoggerFactory.getLogger(TargetStates.class);
  private static final int MAX_TARGETS = 10_000;

  private record Learnt(CircuitBreaker breaker, TargetStats stats) {}

  private final Cache<String, Learnt> learnt = Caffeine.newBuilder().maximumSize(MAX_TARGETS)
      .expireAfterAccess(Duration.ofHours(1)).build();
  private final Map<String, KeyPool> keys = new ConcurrentHashMap<>();
  private final SharedHealth shared;
  private final GatewayMetrics metrics;
  private volatile RoutingConfig.Breaker breaker = new RoutingConfig.Breaker(null, null, null, null, null, null);

  public TargetStates(SharedHealth shared, GatewayMetrics metrics) {
    this.shared = shared;
    this.metrics = metrics;
  }

  /** Breakers judge by these settings from now on. */
  void configure(RoutingConfig.Breaker settings) {
    this.breaker = settings;
  }

  /** The key pool of a provider as configured now: the same pool while its keys stay the same. */
  KeyPool keys(ProviderConfig provider) {
    List<String> secrets = provider.keys();
    return keys.compute(provider.name(), (name, pool) -> pool != null && pool.holds(secrets) ? pool
        : new KeyPool(name, secrets));
  }

  TargetState state(String provider, String model, KeyPool pool) {
    String id = provider + '/' + model;
    Learnt l = learnt.get(id, k -> new Learnt(new CircuitBreaker(() -> breaker, state -> changed(provider, model,
        state)), new TargetStats()));
    return new TargetState(id, provider, model, l.breaker(), l.stats(), pool);
  }

  private void changed(String provider, String model, CircuitBreaker.State state) {
    switch (state) {
      case OPEN -> log.warn("circuit of {}/{} opened: no traffic goes there for {}", provider, model,
          breaker.openFor());
      case HALF_OPEN -> log.info("circuit of {}/{} half open: probing", provider, model);
      case CLOSED -> log.info("circuit of {}/{} closed: the target answers again", provider, model);
    }
    metrics.circuitState(provider, model, state.ordinal());
    shared.changed(provider, model, state);
  }
}
