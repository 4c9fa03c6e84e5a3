package io.tokenrouter.routing;

import io.tokenrouter.billing.Price;
import io.tokenrouter.call.Call;
import io.tokenrouter.provider.Target;
import java.util.List;
import java.util.Optional;

/**
 * The target where this call is expected to cost least first, from the price table: the prompt
 * at the input price, except the share the target has lately served from its cache, which
 * costs its cache-read price; the answer at the output price. A target without a price goes
 * last. The prompt is estimated from the body's size (four bytes a token): only the ratio
 * between targets matters, and counting tokens here would cost more than it decides.
 */
final class LowestCost implements RoutingStrategy {
  private static final int BYTES_PER_TOKEN = 4;
  /** Output tokens assumed for a request that sets no limit. */
  private static final int DEFAULT_OUTPUT = 512;
  private final Strategies.Context context;

  LowestCost(Strategies.Context context) {
    this.context = context;
  }

  @Override
  public List<Target> order(List<Target> candidates, Call call) {
    double prompt = (double) call.bodySize() / BYTES_PER_TOKEN;
    Integer limit = call.envelope().maxOutputTokens();
    double output = limit == null ? DEFAULT_OUTPUT : Math.min(limit, 4 * DEFAULT_OUTPUT);
    return Ranking.ascending(candidates, t -> cost(t, prompt, output));
  }

  private double cost(Target target, double prompt, double output) {
    Optional<Price> price = context.prices().find(target.model());
    if (price.isEmpty()) {
      return Double.MAX_VALUE;
    }
    Price p = price.get();
    double cached = context.states().apply(target).stats().cacheHitRatio();
    return prompt * ((1 - cached) * p.input().doubleValue() + cached * p.cacheRead().doubleValue())
        + output * p.output().doubleValue();
  }
}
