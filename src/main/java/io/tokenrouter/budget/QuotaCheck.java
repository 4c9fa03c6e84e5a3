package io.tokenrouter.budget;

import io.tokenrouter.admission.AdmissionCheck;
import io.tokenrouter.admission.CallFacts;
import io.tokenrouter.admission.Hold;
import io.tokenrouter.admission.Refusal;
import io.tokenrouter.caller.Identity;
import io.tokenrouter.limit.CounterStore;
import io.tokenrouter.metrics.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executor;

/**
 * A user's monthly token quota (seed 000's plans), made exact: each request reserves its
 * estimated tokens (prompt plus the output it may receive) and settles to the tokens it used.
 * The quota's fill is reported per plan as {@code tokenrouter_quota_usage_percent}.
 */
public final class QuotaCheck implements AdmissionCheck {
  private final PeriodCounter counter;
  private final UsageBaseline baseline;
  private final GatewayMetrics metrics;
  private final Clock clock;

  public QuotaCheck(CounterStore counters, Vertx vertx, Executor blocking, UsageBaseline baseline,
      GatewayMetrics metrics, Clock clock) {
    this.counter = new PeriodCounter(counters, vertx, blocking);
    this.baseline = baseline;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public boolean needsEstimate(CallFacts facts) {
    return facts.identity().monthlyTokenQuota() != null;
  }

  @Override
  public Future<Hold> admit(CallFacts facts) {
    Identity id = facts.identity();
    Long quota = id.monthlyTokenQuota();
    if (id.userId() == null || quota == null) {
      return Future.succeededFuture(Hold.NONE);
    }
    Instant now = clock.instant();
    Instant from = Period.MONTH.start(now);
    String key = "quota:" + id.userId() + ":" + Period.MONTH.id(now);
    long reserved = facts.reservedTokens();
    return counter.charge(key, reserved, reserved, quota, Period.MONTH, now,
            () -> baseline.tokensOfUser(id.userId(), from))
        .compose(w -> {
          metrics.quotaUsage(id.plan(), id.userId(), w.used() * 100.0 / quota);
          if (!w.allowed()) {
            metrics.budgetRefused("user", "monthly_tokens");
            return Future.failedFuture(Refusal.quota("quota_exceeded", "The monthly quota of " + quota
                + " tokens of this user's " + id.plan() + " plan is used up (" + w.used() + " used); it renews at "
                + Period.MONTH.end(now) + ".", Period.MONTH.remaining(now)));
          }
          return Future.<Hold>succeededFuture((usage, cost) -> counter.adjust(key, usage.totalTokens() - reserved));
        });
  }
}
