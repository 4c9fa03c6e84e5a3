package io.tokenrouter.http;

import io.tokenrouter.admission.Admission;
import io.tokenrouter.caller.Identity;
import io.tokenrouter.billing.Cost;
import io.tokenrouter.billing.CostCalculator;
import io.tokenrouter.billing.Price;
import io.tokenrouter.billing.PriceBook;
import io.tokenrouter.metrics.GatewayMetrics;
import io.tokenrouter.reply.Usage;
import io.tokenrouter.usage.RecordIds;
import io.tokenrouter.usage.UsageRecord;
import io.tokenrouter.usage.UsageRecorder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * The accounting of one chat request, from admission to its last byte. Whatever way the request
 * ends, {@link #finish} runs exactly once: admission's reservations settled to the actual usage
 * and cost, the usage record (room for it was reserved on admission), the metrics and the one
 * JSON log line.
 *
 * <p>The cost is priced by the upstream model, the name the provider bills under, whichever
 * alias the client asked for.
 */
final class CallLedger {
  private static final Logger access = LoggerFactory.getLogger("tokenrouter.access");
  private static final Logger log = LoggerFactory.getLogger(CallLedger.class);
  /** Models already warned about: one line per model, not one per request. */
  private static final Set<String> UNPRICED_WARNED = ConcurrentHashMap.newKeySet();

  private final UsageRecorder recorder;
  private final GatewayMetrics metrics;
  private final PriceBook prices;
  private final String requestId;
  private final Identity identity;
  private final long startNanos = System.nanoTime();
  private String model = "unknown";
  private boolean stream;
  private String provider;
  private String upstreamModel;
  private long firstTokenNanos = -1;
  private Admission.Admitted admitted;
  private boolean finished;

  CallLedger(UsageRecorder recorder, GatewayMetrics metrics, PriceBook prices, String requestId, Identity identity) {
    this.recorder = recorder;
    this.metrics = metrics;
    this.prices = prices;
    this.requestId = requestId;
    this.identity = identity;
  }

  void request(String model, boolean stream) {
    this.model = model;
    this.stream = stream;
  }

  void routedTo(String provider, String upstreamModel) {
    this.provider = provider;
    this.upstreamModel = upstreamModel;
  }

  /** What admission reserved for this request; settled to the actual usage when it finishes. */
  void hold(Admission.Admitted held) {
    this.admitted = held;
  }


  String provider() {
    return provider;
  }

  /** Marks the first output chunk of a stream; later calls are ignored. */
  void firstToken() {
    if (firstTokenNanos < 0) {
      firstTokenNanos = System.nanoTime();
      metrics.timeToFirstToken(model, provider, firstTokenNanos - startNanos);
    }
  }

  void finish(int status, String errorType, Usage usage) {
    if (finished) {
      return;
    }
    finished = true;
    long elapsed = System.nanoTime() - startNanos;
    int latencyMs = (int) TimeUnit.NANOSECONDS.toMillis(elapsed);
    Integer ttftMs = firstTokenNanos < 0 ? null : (int) TimeUnit.NANOSECONDS.toMillis(firstTokenNanos - startNanos);
    Usage u = usage == null ? Usage.NONE : usage;
    BigDecimal cost = BigDecimal.ZERO;
    BigDecimal savedByCache = BigDecimal.ZERO;
    Optional<Price> price = priceOf(u);
    if (price.isPresent()) {
      BigDecimal multiplier = identity.priceMultiplier();
      cost = CostCalculator.cost(price.get(), u, multiplier).total();
      savedByCache = Cost.savedByCache(price.get(), u.cacheReadTokens(), multiplier);
      metrics.cost(metricModel(), cost);
    }
    if (admitted != null) {
      admitted.settle(u, cost);
    }
    recorder.record(new UsageRecord(RecordIds.next(), requestId, identity.keyId(), identity.userId(),
        identity.project(), model, provider, upstreamModel, stream, status, errorType, u, cost, savedByCache,
        latencyMs, ttftMs, Instant.now()));
    metrics.requestFinished(metricModel(), provider, status, elapsed);
    metrics.tokens(metricModel(), u);
    access.info("request", kv("request_id", requestId), kv("key", identity.keyPrefix()), kv("model", model),
        kv("provider", provider), kv("stream", stream), kv("status", status), kv("error_type", errorType),
        kv("latency_ms", latencyMs), kv("ttft_ms", ttftMs), kv("prompt_tokens", u.promptTokens()),
        kv("completion_tokens", u.completionTokens()), kv("cache_read_tokens", u.cacheReadTokens()),
        kv("usage_estimated", u.estimated()), kv("cost_usd", cost));
  }

  /**
   * The model as a metric label: only a routed request's model is a configured name; anything
   * else is what a client typed, and would give every typo a series of its own.
   */
  private String metricModel() {
    return provider == null ? GatewayMetrics.UNKNOWN : model;
  }

  /** Empty when there is nothing to price, or, counted and warned about, no price to price it with. */
  private Optional<Price> priceOf(Usage u) {
    if (upstreamModel == null || u.totalTokens() == 0) {
      return Optional.empty();
    }
    Optional<Price> price = prices.find(upstreamModel);
    if (price.isEmpty()) {
      metrics.unpriced(upstreamModel);
      if (UNPRICED_WARNED.add(upstreamModel)) {
        log.warn("model {} has no price in model_pricing; its requests are recorded at cost 0", upstreamModel);
      }
    }
    return price;
  }
}
