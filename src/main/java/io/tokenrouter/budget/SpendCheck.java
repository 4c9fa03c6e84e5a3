package io.tokenrouter.budget;

import io.tokenrouter.admission.AdmissionCheck;
import io.tokenrouter.admission.CallFacts;
import io.tokenrouter.admission.Hold;
import io.tokenrouter.admission.Refusal;
import io.tokenrouter.auth.Identity;
import io.tokenrouter.limit.CounterStore;
import io.tokenrouter.limit.Limits;
import io.tokenrouter.metrics.GatewayMetrics;
import io.tokenrouter.provider.Usage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Daily and monthly USD budgets of the key and of its user. Each request reserves its estimated
 * cost in every budget that applies before it goes upstream and settles to the actual cost
 * after, so parallel requests cannot overshoot a budget by more than the difference between
 * what the requests in flight reserved and what they turn out to cost; every failure path gives
 * the reservation back.
 */
public final class SpendCheck implements AdmissionCheck {
  private final PeriodCounter counter;
  private final UsageBaseline baseline;
  private final GatewayMetrics metrics;
  private final Clock clock;

  public SpendCheck(CounterStore counters, Vertx vertx, Executor blocking, UsageBaseline baseline,
      GatewayMetrics metrics, Clock clock) {
    this.counter = new PeriodCounter(counters, vertx, blocking);
    this.baseline = baseline;
    this.metrics = metrics;
    this.clock = clock;
  }

  private record Budget(String scope, String owner, Period period, BigDecimal limit, Supplier<BigDecimal> spent,
      String key) {}

  @Override
  public boolean needsEstimate(CallFacts facts) {
    return facts.identity().keyLimits().hasBudgets()
        || facts.identity().userId() != null && facts.identity().userLimits().hasBudgets();
  }

  @Override
  public Future<Hold> admit(CallFacts facts) {
    Instant now = clock.instant();
    List<Budget> budgets = budgets(facts.identity(), now);
    if (budgets.isEmpty()) {
      return Future.succeededFuture(Hold.NONE);
    }
    long reserved = Money.units(facts.estimatedCost());
    SpendHold hold = new SpendHold(reserved);
    return reserve(budgets, 0, reserved, now, hold).map(v -> (Hold) hold).recover(err -> {
      hold.settle(Usage.NONE, BigDecimal.ZERO);
      return Future.failedFuture(err);
    });
  }

  private List<Budget> budgets(Identity id, Instant now) {
    List<Budget> budgets = new ArrayList<>(4);
    add(budgets, "key", "this key", id.keyLimits(), now, from -> baseline.spentByKey(id.keyId(), from),
        id.keyId().toString());
    if (id.userId() != null) {
      add(budgets, "user", "this user", id.userLimits(), now, from -> baseline.spentByUser(id.userId(), from),
          id.userId().toString());
    }
    return budgets;
  }

  private static void add(List<Budget> budgets, String scope, String owner, Limits limits, Instant now,
      Function<Instant, BigDecimal> spentSince, String id) {
    for (Period period : Period.values()) {
      BigDecimal limit = period == Period.DAY ? limits.dailyBudgetUsd() : limits.monthlyBudgetUsd();
      if (limit != null) {
        Instant from = period.start(now);
        budgets.add(new Budget(scope, owner, period, limit, () -> spentSince.apply(from),
            "budget:" + scope + ":" + id + ":" + period.id(now)));
      }
    }
  }

  private Future<Void> reserve(List<Budget> budgets, int i, long amount, Instant now, SpendHold hold) {
    if (i == budgets.size()) {
      return Future.succeededFuture();
    }
    Budget b = budgets.get(i);
    return counter.charge(b.key(), amount, Money.units(b.limit()), b.period(), now,
        () -> Money.units(b.spent().get())).compose(w -> {
          if (!w.allowed()) {
            metrics.budgetRefused(b.scope(), b.period().label());
            return Future.failedFuture(Refusal.quota("budget_exceeded", "The " + b.period().label() + " budget of "
                + Money.format(b.limit()) + " for " + b.owner() + " is used up; it renews at "
                + b.period().end(now) + ".", b.period().remaining(now)));
          }
          hold.keys.add(b.key());
          return reserve(budgets, i + 1, amount, now, hold);
        });
  }

  /** The budgets a request reserved in, corrected to its actual cost when it ends. */
  private final class SpendHold implements Hold {
    private final long reserved;
    private final List<String> keys = new ArrayList<>(4);
    private boolean settled;

    SpendHold(long reserved) {
      this.reserved = reserved;
    }

    @Override
    public void settle(Usage usage, BigDecimal cost) {
      if (!settled) {
        settled = true;
        long correction = Money.units(cost) - reserved;
        keys.forEach(key -> counter.adjust(key, correction));
      }
    }
  }
}
