package io.tokenrouter.config;

import java.time.Duration;
import java.util.List;

/**
 * How a call finds its target and what happens when one fails: the default strategy, retries
 * and fallback, circuit breakers, active health checks, session affinity, provider model lists
 * and hot reload. This section, the providers and the models can change while the gateway runs.
 *
 * @param strategy how the targets of a model are ordered when the model names none
 * @param modelListRefresh how often the model lists of providers with {@code list_models} are
 *     fetched again
 */
public record RoutingConfig(String strategy, Retry retry, Breaker breaker, HealthCheck healthCheck,
    Affinity affinity, Duration modelListRefresh, Reload reload) {
  /** The strategies a model may name. */
  public static final List<String> STRATEGIES = List.of("priority", "round_robin", "weighted", "least_latency",
      "least_busy", "lowest_cost", "availability");
  public static final String DEFAULT_STRATEGY = "priority";

  public RoutingConfig {
    strategy = strategy == null ? DEFAULT_STRATEGY : strategy.strip().toLowerCase(java.util.Locale.ROOT);
    retry = retry == null ? new Retry(null, null, null, null, null, null) : retry;
    breaker = breaker == null ? new Breaker(null, null, null, null, null, null) : breaker;
    healthCheck = healthCheck == null ? new HealthCheck(null, null) : healthCheck;
    affinity = affinity == null ? new Affinity(null, null, null) : affinity;
    modelListRefresh = modelListRefresh == null ? Duration.ofMinutes(10) : modelListRefresh;
    reload = reload == null ? new Reload(null, null) : reload;
  }

  /**
   * Retries of one target and fallback to the next.
   *
   * @param perTarget attempts on one target before the next one is tried
   * @param maxAttempts attempts of one request across all its targets
   * @param backoff the pause before the first retry of a target; doubled for each further one,
   *     with jitter, up to {@code maxBackoff}
   * @param maxRetryAfter the longest {@code Retry-After} of a provider that is waited out before
   *     the same target is tried again; a longer one moves on to the next target at once
   * @param budget no attempt starts later than this after the request arrived
   */
  public record Retry(Integer perTarget, Integer maxAttempts, Duration backoff, Duration maxBackoff,
      Duration maxRetryAfter, Duration budget) {
    public Retry {
      perTarget = perTarget == null ? 2 : perTarget;
      maxAttempts = maxAttempts == null ? 4 : maxAttempts;
      backoff = backoff == null ? Duration.ofMillis(200) : backoff;
      maxBackoff = maxBackoff == null ? Duration.ofSeconds(2) : maxBackoff;
      maxRetryAfter = maxRetryAfter == null ? Duration.ofSeconds(5) : maxRetryAfter;
      budget = budget == null ? Duration.ofSeconds(60) : budget;
    }
  }

  /**
   * The circuit breaker of each target (a provider and its model).
   *
   * @param failures consecutive failures that open it
   * @param errorRate the share of failed calls within {@code window} that opens it, once at
   *     least {@code minCalls} were made
   * @param openFor how long it stays open before probes are let through
   * @param probes calls let through at once while half open; the first success closes it, a
   *     failure opens it again
   */
  public record Breaker(Integer failures, Double errorRate, Integer minCalls, Duration window, Duration openFor,
      Integer probes) {
    public Breaker {
      failures = failures == null ? 5 : failures;
      errorRate = errorRate == null ? 0.5 : errorRate;
      minCalls = minCalls == null ? 20 : minCalls;
      window = window == null ? Duration.ofSeconds(30) : window;
      openFor = openFor == null ? Duration.ofSeconds(30) : openFor;
      probes = probes == null ? 1 : probes;
    }
  }

  /**
   * Active health checks: each provider that can list its models is asked for the list this
   * often; a failure counts against its targets' breakers, a success closes an open one.
   *
   * @param interval zero (the default) turns active checks off
   */
  public record HealthCheck(Duration interval, Duration timeout) {
    public HealthCheck {
      interval = interval == null ? Duration.ZERO : interval;
      timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
    }

    public boolean enabled() {
      return !interval.isZero() && !interval.isNegative();
    }
  }

  /**
   * Session affinity: the turns of one conversation go to the target (and key) that served it,
   * while that target is healthy, so the provider's prompt cache keeps hitting.
   *
   * @param ttl how long a pin outlives the conversation's last turn
   * @param maxSessions pins kept in the process at most (without Redis)
   */
  public record Affinity(Boolean enabled, Duration ttl, Integer maxSessions) {
    public Affinity {
      enabled = enabled == null || enabled;
      ttl = ttl == null ? Duration.ofHours(1) : ttl;
      maxSessions = maxSessions == null ? 100_000 : maxSessions;
    }
  }

  /**
   * Hot reload of providers, models and routing from the configuration file.
   *
   * @param watch whether the file is checked for changes (SIGHUP and peers' announcements reload
   *     it either way)
   * @param interval how often it is checked
   */
  public record Reload(Boolean watch, Duration interval) {
    public Reload {
      watch = watch == null || watch;
      interval = interval == null ? Duration.ofSeconds(2) : interval;
    }
  }
}
