package io.tokenrouter.routing;

import io.tokenrouter.billing.PriceBook;
import io.tokenrouter.config.RoutingConfig;
import io.tokenrouter.provider.Target;
import java.util.Map;
import java.util.function.Function;

/**
 * The strategies a mapping may name ({@link RoutingConfig#STRATEGIES}), each made fresh for one
 * mapping's priority level.
 */
final class Strategies {
  /** What strategies may read: each target's state, and prices. */
  record Context(Function<Target, TargetState> states, PriceBook prices) {}

  private static final Map<String, Function<Context, RoutingStrategy>> FACTORIES = Map.of(
      "priority", c -> (candidates, call) -> candidates,
      "round_robin", c -> new RoundRobin(),
      "weighted", c -> new Weighted(),
      "least_latency", LeastLatency::new,
      "least_busy", LeastBusy::new,
      "lowest_cost", LowestCost::new,
      "availability", Availability::new);

  private Strategies() {}

  static RoutingStrategy create(String name, Context context) {
    return FACTORIES.get(name).apply(context);
  }
}
