package io.tokenrouter.accounting;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.tokenrouter.admission.Admit;
import io.tokenrouter.billing.Cost;
import io.tokenrouter.billing.CostCalculator;
import io.tokenrouter.billing.Price;
import io.tokenrouter.billing.PriceBook;
import io.tokenrouter.billing.TokenEstimator;
import io.tokenrouter.call.Call;
import io.tokenrouter.call.CallListener;
import io.tokenrouter.call.Outcome;
import io.tokenrouter.caller.Identity;
import io.tokenrouter.dedup.Dedup;
import io.tokenrouter.envelope.Operation;
import io.tokenrouter.limit.CapOutput;
import io.tokenrouter.metrics.GatewayMetrics;
import io.tokenrouter.provider.Target;
import io.tokenrouter.reply.GatewayError;
import io.tokenrouter.reply.Usage;
import io.tokenrouter.routing.AttemptLog;
import io.tokenrouter.routing.Candidates;
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

/**
 * The accounting of every call, in one place, whatever its API: the usage it is charged
 * (normalised, or estimated and marked so), its exact cost, the admission holds settled to them,
 * its usage record, its metrics and its one access-log line.
 *
 * <p>The cost is priced by the target's model, the name the provider bills under, whichever
 * alias the client asked for.
 */
public final class Accountant implements CallListener {
  private static final Logger access = LoggerFactory.getLogger("tokenrouter.access");
  private static final Logger log = LoggerFactory.getLogger(Accountant.class);
  /** Models already warned about: one line per model, not one per request. */
  private final Set<String> unpricedWarned = ConcurrentHashMap.newKeySet();
  private final UsageRecorder recorder;
  private final GatewayMetrics metrics;
  private final PriceBook prices;
  private final TokenEstimator tokens;

  public Accountant(UsageRecorder recorder, GatewayMetrics metrics, PriceBook prices, TokenEstimator tokens) {
    this.recorder = recorder;
    this.metrics = metrics;
    this.prices = prices;
    this.tokens = tokens;
  }

  @Override
  public void attemptFailed(Call call, Target target, GatewayError error) {
    metrics.providerError(target.provider(), error.code());
  }

  @Override
  public void firstOutput(Call call) {
    if (call.target() != null) {
      metrics.timeToFirstToken(metricModel(call), call.target().provider(), call.firstOutputNanos());
    }
  }

  /**
   * The model label of a routed call: the configured name it resolved to (for a wildcard, the
   * pattern), never what the client sent, so clients cannot create series without bound.
   */
  private static String metricModel(Call call) {
    Candidates candidates = call.get(Candidates.KEY);
    return candidates == null ? GatewayMetrics.UNKNOWN : candidates.route().name();
  }

  @Override
  public void replyStarted(Call call) {
    if (call.envelope().stream()) {
      metrics.streamOpened(call.target().provider());
    }
  }

  @Override
  public void finished(Call call, Outcome outcome) {
    if (call.hasReplyStarted() && call.envelope().stream()) {
      metrics.streamClosed(call.target().provider());
    }
    boolean needsCount = call.target() != null && call.envelope().operation() == Operation.GENERATE && (outcome.reported() == null || outcome.reported().promptTokens() == 0)
        && (call.hasReplyStarted() || outcome.status() == Outcome.CLIENT_CLOSED);
    if (needsCount) {
      tokens.countPrompt(call.envelope(), call.target().model(), call.bodySize())
          .onComplete(ar -> account(call, outcome, ar.succeeded() ? ar.result() : 0));
    } else {
      account(call, outcome, 0);
    }
  }

  private void account(Call call, Outcome outcome, int promptEstimate) {
    Usage usage = usage(call, outcome, promptEstimate);
    Identity identity = call.identity();
    Target target = call.target();
    String model = call.envelope() == null ? "unknown" : call.envelope().model();
    String metricModel = target == null ? GatewayMetrics.UNKNOWN : metricModel(call);
    BigDecimal cost = BigDecimal.ZERO;
    BigDecimal savedByCache = BigDecimal.ZERO;
    Optional<Price> price = target == null || usage.totalTokens() == 0 ? Optional.empty() : priceOf(target.model());
    BigDecimal multiplier = identity == null ? BigDecimal.ONE : identity.priceMultiplier();
    if (price.isPresent()) {
      cost = CostCalculator.cost(price.get(), usage, multiplier).total();
      savedByCache = Cost.savedByCache(price.get(), usage, multiplier);
      metrics.cost(metricModel, cost);
    }
    boolean shared = call.get(Dedup.SHARED) != null;
    if (shared) {
      // its usage is the shared call's; what that call's cache saved was counted there
      savedByCache = BigDecimal.ZERO;
    } else if (target != null && usage.promptTokens() > 0 && !usage.estimated()) {
      metrics.cacheLookup(metricModel, target.provider(), usage.cacheReadTokens() > 0);
    }
    var held = call.get(Admit.HELD);
    if (held != null) {
      held.settle(usage, cost);
    }
    int status = outcome.status();
    String errorType = outcome.error() != null ? outcome.error().code()
        : call.get(CapOutput.CUT) != null ? "output_capped" : null;
    int latencyMs = (int) TimeUnit.NANOSECONDS.toMillis(outcome.elapsedNanos());
    Integer ttftMs = outcome.firstOutputNanos() < 0 ? null
        : (int) TimeUnit.NANOSECONDS.toMillis(outcome.firstOutputNanos());
    boolean stream = call.envelope() != null && call.envelope().stream();
    String provider = target == null ? null : target.provider();
    if (call.get(ReserveRecord.RESERVED) != null) {
      recorder.record(new UsageRecord(RecordIds.next(), call.id(), identity.keyId(), identity.userId(),
          identity.project(), model, provider, target == null ? null : target.model(), stream, status, errorType,
          usage, cost, savedByCache, latencyMs, ttftMs, Instant.now(),
          call.responseBytes() < 0 ? null : call.requestBytes(),
          call.responseBytes() < 0 ? null : call.responseBytes(), shared, AttemptLog.json(call)));
    }
    metrics.requestFinished(metricModel, provider, status, outcome.elapsedNanos());
    metrics.tokens(metricModel, usage);
    access.info("request", kv("request_id", call.id()), kv("api", call.api()),
        kv("key", identity == null ? null : identity.keyPrefix()), kv("model", model), kv("provider", provider),
        kv("stream", stream), kv("status", status), kv("error_type", errorType), kv("latency_ms", latencyMs),
        kv("ttft_ms", ttftMs), kv("prompt_tokens", usage.promptTokens()),
        kv("completion_tokens", usage.completionTokens()), kv("cache_read_tokens", usage.cacheReadTokens()),
        kv("cache_write_tokens", usage.cacheWriteTokens()), kv("usage_estimated", usage.estimated()),
        kv("dedup_hit", shared), kv("cost_usd", cost));
  }

  private static Usage usage(Call call, Outcome outcome, int promptEstimate) {
    if (call.target() == null || call.envelope().operation() == Operation.COUNT_TOKENS) {
      return Usage.NONE;
    }
    if (!call.hasReplyStarted()) {
      return outcome.status() == Outcome.CLIENT_CLOSED ? UsageEstimate.abandoned(() -> promptEstimate) : Usage.NONE;
    }
    boolean complete = outcome.error() == null && outcome.status() != Outcome.CLIENT_CLOSED;
    Usage usage = UsageEstimate.of(outcome, complete, () -> promptEstimate);
    if (usage.promptTokens() == 0 && promptEstimate > 0) {
      return new Usage(promptEstimate, usage.completionTokens(), usage.cacheReadTokens(), usage.cacheWriteTokens(),
          usage.cacheWrite1hTokens(), usage.reasoningTokens(), true);
    }
    return usage;
  }

  /** Empty, counted and warned about, when the model has no price. */
  private Optional<Price> priceOf(String upstreamModel) {
    Optional<Price> price = prices.find(upstreamModel);
    if (price.isEmpty()) {
      metrics.unpriced(upstreamModel);
      if (unpricedWarned.add(upstreamModel)) {
        log.warn("model {} has no price in model_pricing; its requests are recorded at cost 0", upstreamModel);
      }
    }
    return price;
  }
}
