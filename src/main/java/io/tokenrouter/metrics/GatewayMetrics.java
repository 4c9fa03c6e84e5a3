package io.tokenrouter.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tokenrouter.reply.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's Prometheus metrics, named as in seed 000 ({@code tokenrouter_*}). Callers say
 * what happened; this class owns the meter names, tags and buckets.
 */
public final class GatewayMetrics {
  public static final String UNKNOWN = "none";

  /** Up to three label values; the per-request meters are looked up by these, not rebuilt. */
  private record Labels(String a, String b, String c) {}
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ConcurrentHashMap<String, AtomicInteger> activeStreams = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Labels, Counter> requests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Labels, Timer> durations = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Labels, Timer> ttfts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Labels, Counter> tokens = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> costs = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Labels, Counter> cacheLookups = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> dedupHits = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> unpriced = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Labels, Counter> providerErrors = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Labels, AtomicInteger> circuits = new ConcurrentHashMap<>();

  private final AtomicInteger countersDown = new AtomicInteger();
  private final ConcurrentHashMap<String, Cache<java.util.UUID, Double>> quotaFill = new ConcurrentHashMap<>();

  public GatewayMetrics() {
    Gauge.builder("tokenrouter.counters.unavailable", countersDown, AtomicInteger::get)
        .description("1 while the shared counter store (Redis) is unreachable").register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  public String scrape() {
    return registry.scrape();
  }

  /**
   * @param model a configured model name, or {@link #UNKNOWN} for a request that was not routed:
   *     labels must come from the configuration, never from what a client sent, or a client
   *     could create series without bound
   */
  public void requestFinished(String model, String provider, int status, long nanos) {
    String p = provider == null ? UNKNOWN : provider;
    requests.computeIfAbsent(new Labels(model, p, Integer.toString(status)), l -> Counter.builder("tokenrouter.requests")
        .description("Requests answered, by model, provider and HTTP status")
        .tags("model", l.a(), "provider", l.b(), "status", l.c())
        .register(registry)).increment();
    durations.computeIfAbsent(new Labels(model, p, ""), l -> Timer.builder("tokenrouter.request.duration")
        .description("Time from request to the last byte of the answer")
        .tags("model", l.a(), "provider", l.b())
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(10))
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  public void timeToFirstToken(String model, String provider, long nanos) {
    ttfts.computeIfAbsent(new Labels(model, provider, ""), l -> Timer.builder("tokenrouter.time.to.first.token")
        .description("Time from request to the first streamed output chunk")
        .tags("model", l.a(), "provider", l.b())
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(2))
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  public void tokens(String model, Usage usage) {
    count(model, "prompt", usage.promptTokens());
    count(model, "completion", usage.completionTokens());
    count(model, "cache_read", usage.cacheReadTokens());
    count(model, "cache_write", usage.cacheWriteTokens());
  }

  private void count(String model, String type, int n) {
    if (n > 0) {
      tokens.computeIfAbsent(new Labels(model, type, ""), l -> Counter.builder("tokenrouter.tokens")
          .description("Tokens used, by model and type").tags("model", l.a(), "type", l.b())
          .register(registry)).increment(n);
    }
  }

  /** For dashboards only: a double drifts, the exact figures are the database's. */
  public void cost(String model, BigDecimal usd) {
    costs.computeIfAbsent(model, m -> Counter.builder("tokenrouter.cost.usd")
        .description("What requests cost in USD, plan multipliers applied").tag("model", m)
        .register(registry)).increment(usd.doubleValue());
  }

  /**
   * A request whose provider counted its prompt: a hit when any of it was read from the
   * provider's prompt cache, a miss otherwise.
   */
  public void cacheLookup(String model, String provider, boolean hit) {
    cacheLookups.computeIfAbsent(new Labels(model, provider, hit ? "hit" : "miss"), l -> Counter.builder(
            "hit".equals(l.c()) ? "tokenrouter.cache.hits" : "tokenrouter.cache.misses")
        .description("hit".equals(l.c()) ? "Requests that read part of their prompt from the provider's prompt cache"
            : "Requests whose prompt the provider read none of from its prompt cache")
        .tags("model", l.a(), "provider", l.b()).register(registry)).increment();
  }

  /** A request answered with the upstream call of an identical one in flight at the same time. */
  public void dedupHit(String model) {
    dedupHits.computeIfAbsent(model, m -> Counter.builder("tokenrouter.dedup.hits")
        .description("Requests answered with the upstream call of an identical request in flight at the same time")
        .tag("model", m).register(registry)).increment();
  }

  /** A request that used tokens of a model without a price, recorded at cost 0. */
  public void unpriced(String upstreamModel) {
    unpriced.computeIfAbsent(upstreamModel, m -> Counter.builder("tokenrouter.unpriced.requests")
        .description("Requests recorded at cost 0 because model_pricing has no price for the provider's model")
        .tag("model", m).register(registry)).increment();
  }

  public void streamOpened(String provider) {
    activeStreams(provider).incrementAndGet();
  }

  public void streamClosed(String provider) {
    activeStreams(provider).decrementAndGet();
  }

  private AtomicInteger activeStreams(String provider) {
    return activeStreams.computeIfAbsent(provider, p -> {
      AtomicInteger value = new AtomicInteger();
      Gauge.builder("tokenrouter.active.streams", value, AtomicInteger::get)
          .description("Streams being relayed now").tag("provider", p).register(registry);
      return value;
    });
  }

  public void providerError(String provider, String errorType) {
    providerErrors.computeIfAbsent(new Labels(provider, errorType, ""), l -> Counter.builder("tokenrouter.provider.errors")
        .description("Failed upstream calls, by provider and cause")
        .tags("provider", l.a(), "error_type", l.b()).register(registry)).increment();
  }

  /** A target is tried again after {@code reason} (an error code). */
  public void retry(String provider, String reason) {
    Counter.builder("tokenrouter.retries")
        .description("Attempts repeated on the same provider after a failure, by provider and the failure's code")
        .tags("provider", provider, "reason", reason).register(registry).increment();
  }

  /** A call moves on from one target to the next of its model. */
  public void fallback(String model, String from, String to) {
    Counter.builder("tokenrouter.fallbacks")
        .description("Calls that moved on to the next target of their model, by model and providers")
        .tags("model", model, "from", from, "to", to).register(registry).increment();
  }

  /** A target's breaker changed: 0 closed, 1 open, 2 half open. */
  public void circuitState(String provider, String model, int state) {
    circuits.computeIfAbsent(new Labels(provider, model, ""), l -> {
      AtomicInteger value = new AtomicInteger();
      Gauge.builder("tokenrouter.circuit.state", value, AtomicInteger::get)
          .description("Circuit breaker of each target that ever opened: 0 closed, 1 open, 2 half open")
          .tags("provider", l.a(), "model", l.b()).register(registry);
      return value;
    }).set(state);
  }

  public void rateLimited(String scope, String limit) {
    Counter.builder("tokenrouter.rate.limited").description("Requests refused with 429 by a rate, by scope and limit")
        .tags("scope", scope, "limit", limit).register(registry).increment();
  }

  public void budgetRefused(String scope, String budget) {
    Counter.builder("tokenrouter.budget.refused")
        .description("Requests refused because a budget or quota was used up, by scope and budget")
        .tags("scope", scope, "budget", budget).register(registry).increment();
  }

  /** 1 while the shared counter store (Redis) cannot be reached. */
  public void countersUnavailable(boolean down) {
    countersDown.set(down ? 1 : 0);
  }

  public void limitFallback(String failMode) {
    Counter.builder("tokenrouter.limit.fallbacks")
        .description("Limit checks decided by the fail mode because Redis could not be reached")
        .tag("fail_mode", failMode).register(registry).increment();
  }

  /**
   * A user's monthly quota fill. The gauge per plan shows the fullest quota among the plan's users
   * seen in the last hour: the one about to be refused is the one to alert on.
   */
  public void quotaUsage(String plan, java.util.UUID userId, double percent) {
    String p = plan == null ? UNKNOWN : plan;
    quotaFill.computeIfAbsent(p, name -> {
      Cache<java.util.UUID, Double> users = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1))
          .maximumSize(100_000).build();
      Gauge.builder("tokenrouter.quota.usage.percent", users,
              c -> c.asMap().values().stream().mapToDouble(Double::doubleValue).max().orElse(0))
          .description("Fullest monthly token quota among the plan's active users, in percent")
          .tag("plan", name).register(registry);
      return users;
    }).put(userId, percent);
  }

  public void usageQueueFull() {
    Counter.builder("tokenrouter.usage.queue.full")
        .description("Requests refused with 503 because the usage recorder had no room")
        .register(registry).increment();
  }

  /** Usage records the database refused outright, set aside in the dead-letter file. */
  public void usageSetAside(int records) {
    Counter.builder("tokenrouter.usage.dead.letter")
        .description("Usage records the database refused (a value it cannot store), set aside in the dead-letter file")
        .register(registry).increment(records);
  }

  public void usageSpooled(int records) {
    Counter.builder("tokenrouter.usage.spooled")
        .description("Usage records written to the local spool because the database could not take them")
        .register(registry).increment(records);
  }

  /** A key looked up in the remote authenticator's cache: hit rate = hit / (hit + miss). */
  public void authCacheLookup(boolean hit) {
    Counter.builder("tokenrouter.auth.cache.lookups")
        .description("Keys looked up in the token authority's answer cache, by result (hit or miss)")
        .tag("result", hit ? "hit" : "miss").register(registry).increment();
  }

  /** @param outcome the authority's status (active, expired, revoked, unknown), or error */
  public void authorityAnswered(String outcome, long nanos) {
    Timer.builder("tokenrouter.auth.introspection.duration")
        .description("Calls to the external token authority, by outcome")
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }
}
