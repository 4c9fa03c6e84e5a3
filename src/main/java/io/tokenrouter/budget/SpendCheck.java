package io.tokenrouter.budget;

import io.tokenrouter.admission.AdmissionCheck;
import io.tokenrouter.admission.CallFacts;
import io.tokenrouter.admission.Hold;
import io.tokenrouter.admission.Refusal;
import io.tokenrouter.billing.Price;
import io.tokenrouter.billing.PriceBook;
import io.tokenrouter.caller.Identity;
import io.tokenrouter.caller.Limits;
import io.tokenrouter.limit.CounterStore;
import io.tokenrouter.metrics.GatewayMetrics;
import io.tokenrouter.reply.Usage;
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
 * Daily and monthly USD budgets of the key and of its user, as caps. Before a request goes
 * upstream it reserves, in every budget that applies, the cost of its prompt plus the output it
 * may receive, and it is sent asking for no more output than that reservation pays for
 * ({@link Hold#outputCeiling()}); after it ends the reservation is settled to the actual cost. A
 * request's cost is then bounded by its reservation, and reservations never add up to more than
 * a budget, so parallel requests cannot spend more than the budget, whether they set
 * {@code max_tokens} or not. Every failure path gives the reservation back.
 */
public final class SpendCheck implements AdmissionCheck {
  /**
   * The output a request without any cap is reserved and sent with: Anthropic's own default for
   * OpenAI clients, within every current model's output limit. A client that wants longer
   * answers under a budget says so with {@code max_tokens} (or the key's max_output_tokens).
   */
  private static final int UNCAPPED_OUTPUT_TOKENS = 4096;
  /**
   * The shortest answer worth sending a request upstream for: with less budget left than the
   * prompt plus this much output, the request is refused rather than cut to a few tokens.
   */
  private static final int MIN_OUTPUT_TOKENS = 16;

  private final PeriodCounter counter;
  private final UsageBaseline baseline;
  private final PriceBook prices;
  private final GatewayMetrics metrics;
  private final Clock clock;

  public SpendCheck(CounterStore counters, Vertx vertx, Executor blocking, UsageBaseline baseline, PriceBook prices,
      GatewayMetrics metrics, Clock clock) {
    this.counter = new PeriodCounter(counters, vertx, blocking);
    this.baseline = baseline;
    this.prices = prices;
    this.metrics = metrics;
    this.clock = clock;
  }

  private record Budget(String scope, String owner, Period period, BigDecimal limit, Supplier<BigDecimal> spent,
      String key) {}

  /**
   * What a request asks of a budget, in {@link Money} units: its prompt at the input price and
   * each output token at the output price, the plan multiplier applied and every part rounded
   * up, so that a reservation is never below the cost it stands for.
   *
   * @param wanted the output tokens the request would be sent with
   */
  private record Ask(long promptUnits, long perTokenUnits, int wanted) {
    static Ask of(CallFacts facts, Price price) {
      int wanted = facts.maxOutputTokens() != null ? facts.maxOutputTokens() : UNCAPPED_OUTPUT_TOKENS;
      if (price == null) {
        return new Ask(0, 0, wanted);
      }
      BigDecimal multiplier = facts.identity().priceMultiplier();
      return new Ask(
          Money.units(price.input().multiply(BigDecimal.valueOf(facts.promptTokens())).multiply(multiplier)
              .movePointLeft(6)),
          Money.units(price.output().multiply(multiplier).movePointLeft(6)), wanted);
    }

    long least() {
      return cost(Math.min(wanted, MIN_OUTPUT_TOKENS));
    }

    long most() {
      return cost(wanted);
    }

    long cost(int outputTokens) {
      return promptUnits + outputTokens * perTokenUnits;
    }

    /**
     * The largest output, in tokens, that {@code granted} units pay for after the prompt, at most
     * what is wanted (all of it when output costs nothing).
     */
    int affordableOutputTokens(long granted) {
      return perTokenUnits == 0 ? wanted : (int) Math.min(wanted, (granted - promptUnits) / perTokenUnits);
    }
  }

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
    Ask ask = Ask.of(facts, prices.find(facts.upstreamModel()).orElse(null));
    SpendHold hold = new SpendHold();
    return reserve(budgets, 0, ask, ask.most(), now, hold).map(granted -> {
      int ceiling = ask.affordableOutputTokens(granted);
      hold.trimTo(ask.cost(ceiling));
      hold.ceiling = ask.perTokenUnits() == 0 ? null : ceiling;
      return (Hold) hold;
    }).recover(err -> {
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

  /**
   * Reserves in each budget in turn as much of {@code most} as it has room for, at least the
   * ask's least; each next budget is asked for no more than the previous one granted. Completes
   * with what the last one granted, the least of all grants.
   */
  private Future<Long> reserve(List<Budget> budgets, int i, Ask ask, long most, Instant now, SpendHold hold) {
    if (i == budgets.size()) {
      return Future.succeededFuture(most);
    }
    Budget b = budgets.get(i);
    return counter.charge(b.key(), ask.least(), most, Money.units(b.limit()), b.period(), now,
        () -> Money.units(b.spent().get())).compose(w -> {
          if (!w.allowed()) {
            metrics.budgetRefused(b.scope(), b.period().label());
            return Future.failedFuture(Refusal.quota("budget_exceeded", "The " + b.period().label() + " budget of "
                + Money.format(b.limit()) + " for " + b.owner() + " is used up or has too little left for this"
                + " request; it renews at " + b.period().end(now) + ".", b.period().remaining(now)));
          }
          hold.reserved(b.key(), w.granted());
          return reserve(budgets, i + 1, ask, w.granted(), now, hold);
        });
  }

  /** The budgets a request reserved in, corrected to its actual cost when it ends. */
  private final class SpendHold implements Hold {
    private final List<String> keys = new ArrayList<>(4);
    private final List<Long> amounts = new ArrayList<>(4);
    private Integer ceiling;
    private boolean settled;

    void reserved(String key, long amount) {
      keys.add(key);
      amounts.add(amount);
    }

    /** Gives back, in every budget, what it holds beyond {@code amount}. */
    void trimTo(long amount) {
      for (int i = 0; i < keys.size(); i++) {
        counter.adjust(keys.get(i), amount - amounts.get(i));
        amounts.set(i, amount);
      }
    }

    @Override
    public Integer outputCeiling() {
      return ceiling;
    }

    @Override
    public void settle(Usage usage, BigDecimal cost) {
      if (!settled) {
        settled = true;
        long actual = Money.units(cost);
        for (int i = 0; i < keys.size(); i++) {
          counter.adjust(keys.get(i), actual - amounts.get(i));
        }
      }
    }
  }
}
